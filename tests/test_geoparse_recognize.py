"""Recognition rules on span boundaries, people and organisations (pure, blank pipeline).

Each test builds a ``spacy.blank("en")`` doc, sets NER spans (and tags, where a rule reads
them) by hand and checks ``find_toponyms`` with a tiny ``knows`` standing in for the
gazetteer. The sentences are written for these tests.
"""

from __future__ import annotations

from conftest import blank_nlp, knows_names

from frontlines.geoparse import find_toponyms

_blank, _knows = blank_nlp, knows_names


def _doc(text: str, ents: list[tuple[str, str]] = (), tags: dict[str, str] | None = None):
    """A blank doc with NER spans (surface, label; first occurrence after the previous
    span) and, when ``tags`` is given, a tag per token (default NNP if capitalised else NN)."""
    doc = _blank()(text)
    spans, pos = [], 0
    for surface, label in ents:
        start = text.index(surface, pos)
        spans.append(doc.char_span(start, start + len(surface), label=label))
        pos = start + len(surface)
    doc.ents = spans
    if tags is not None:
        for tok in doc:
            tok.tag_ = tags.get(tok.text, "NNP" if tok.text[:1].isupper() else "NN")
    return doc


def _found(doc, *known: str) -> list[str]:
    return [m.text for m in find_toponyms(doc, knows=_knows(*known))]


# --- qualifiers in front ------------------------------------------------------------------

def test_a_compass_qualifier_is_cut_off_a_known_place():
    doc = _doc("Storms swept across Northeast Georgia and Southern Ohio overnight.",
               [("Northeast Georgia", "LOC"), ("Southern Ohio", "LOC")])
    assert _found(doc, "Georgia", "Ohio") == ["Georgia", "Ohio"]


def test_a_qualifier_stays_when_the_whole_name_is_known():
    doc = _doc("Storms swept across North Carolina and South Sudan overnight.",
               [("North Carolina", "GPE"), ("South Sudan", "GPE")])
    found = _found(doc, "North Carolina", "Carolina", "South Sudan", "Sudan")
    assert found == ["North Carolina", "South Sudan"]


def test_a_sentence_initial_number_or_stop_word_is_not_part_of_the_name():
    doc = _doc("Six Clayton County schools closed early. Only Fulton County stayed open.",
               [("Six Clayton County", "GPE"), ("Only Fulton County", "GPE")])
    assert _found(doc, "Clayton County", "Fulton County") == ["Clayton County",
                                                              "Fulton County"]


def test_an_english_article_is_not_taken_for_an_arabic_one():
    doc = _doc("Flooding closed roads. An Albany man drove through it.", [("Albany", "GPE")])
    assert _found(doc, "Albany") == ["Albany"]
    arabic = _doc("Drones were seen over An Nabatiyah on Monday.", [("Nabatiyah", "GPE")])
    assert _found(arabic, "Nabatiyah") == ["An Nabatiyah"]


# --- organisation words after -------------------------------------------------------------

def test_organisation_words_are_cut_off_a_known_place():
    doc = _doc("Parents from Dublin City Schools met the West Virginia Democratic Party.",
               [("Dublin City Schools", "ORG"), ("West Virginia Democratic Party", "ORG")])
    assert _found(doc, "Dublin", "West Virginia") == ["Dublin", "West Virginia"]


def test_a_county_is_kept_when_its_jail_is_cut_off():
    doc = _doc("He was booked into the Pike County Jail on Friday.",
               [("Pike County Jail", "FAC")])
    assert _found(doc, "Pike County", "Pike") == ["Pike County"]


def test_a_known_city_name_keeps_its_city_word():
    doc = _doc("The Carson City Council voted on Tuesday.", [("Carson City Council", "ORG")])
    assert _found(doc, "Carson City", "Carson") == ["Carson City"]


def test_a_lower_case_province_word_is_not_part_of_the_name():
    doc = _doc("An earthquake struck Kermanshah province on Sunday.",
               [("Kermanshah province", "GPE")])
    assert _found(doc, "Kermanshah") == ["Kermanshah"]


def test_names_of_buildings_and_holidays_are_no_places():
    doc = _doc("Children meet at the Webb Center before St. Patrick's Day.",
               [("Webb Center", "GPE"), ("St. Patrick's Day", "GPE")])
    assert _found(doc, "St. Patrick") == []
    park = _doc("Crowds filled Echo Park on Sunday.", [("Echo Park", "LOC")])
    assert _found(park) == ["Echo Park"]


def test_people_named_by_their_town_make_the_town_a_toponym():
    doc = _doc("A Gainesville man was charged on Monday.", [("Gainesville", "ORG")])
    assert _found(doc, "Gainesville") == ["Gainesville"]


# --- possessives and hyphenated pairs -----------------------------------------------------

def test_a_possessive_splits_a_city_from_its_airport():
    doc = _doc("Flights left Moscow's Vnukovo Airport late.", [("Moscow", "GPE")])
    assert _found(doc, "Moscow") == ["Moscow", "Vnukovo Airport"]


def test_a_possessive_place_name_is_not_split():
    doc = _doc("The crowd gathered at Moore's Ford on Saturday.", [("Moore's Ford", "GPE")])
    assert _found(doc, "Moore", "Ford") == ["Moore's Ford"]


def test_a_hyphenated_city_and_county_are_two_places():
    doc = _doc("The Paris-Henry County chamber met.", [("Paris-Henry County", "GPE")])
    assert _found(doc, "Paris", "Henry County") == ["Paris", "Henry County"]
    joint = _doc("Shelling hit Baalbek-Hermel Governorate.",
                 [("Baalbek-Hermel Governorate", "GPE")])
    assert _found(joint, "Baalbek", "Hermel") == ["Baalbek-Hermel Governorate"]


# --- people -------------------------------------------------------------------------------

def test_a_name_after_a_title_is_a_person_throughout_the_text():
    doc = _doc("Protesters demanded President Malvani resign. Malvani refused on Friday.",
               [("Malvani", "PERSON"), ("Malvani", "GPE")])
    assert _found(doc, "Malvani") == []
    # a strong place cue still wins
    cue = _doc("Protesters met Governor Lindell. They marched toward Lindell later.",
               [("Lindell", "PERSON"), ("Lindell", "GPE")])
    assert _found(cue, "Lindell") == ["Lindell"]


def test_only_a_real_full_name_makes_a_surname():
    text = "Rethinking Jordan ties. Jordan has long hosted refugees, officials said."
    ents = [("Rethinking Jordan", "PERSON"), ("Jordan", "GPE")]
    tags = {"Rethinking": "VBG"}
    assert _found(_doc(text, ents, tags), "Jordan") == ["Jordan"]
    named = _doc("Sara Jordan spoke. Jordan said the plan failed.",
                 [("Sara Jordan", "PERSON"), ("Jordan", "GPE")], {})
    assert _found(named, "Jordan") == []


def test_a_lower_case_ner_span_is_no_name():
    doc = _doc("Police found meth in the car near Tulsa.", [("meth", "GPE"), ("Tulsa", "GPE")])
    assert _found(doc, "Tulsa") == ["Tulsa"]


# --- divisions and roads ------------------------------------------------------------------

def test_an_adjective_before_city_or_district_is_no_name():
    doc = _doc("Leaders of the Inner City group and the Criminal District office met.",
               tags={"Inner": "JJ", "Criminal": "JJ"})
    assert _found(doc) == []
    named = _doc("Voters in Woodstock District met.", tags={})
    assert _found(named) == ["Woodstock District"]


def test_numbered_roads_take_their_authority_and_direction():
    doc = _doc("The crash closed County Road 15 and Interstate 64 West for hours.")
    assert _found(doc) == ["County Road 15", "Interstate 64 West"]


def test_a_highway_patrol_is_no_road():
    doc = _doc("The Florida Highway Patrol said the Highway Patrol closed Elm Road.",
               [("Florida", "GPE")])
    assert _found(doc, "Florida") == ["Florida", "Elm Road"]


def test_a_dateline_in_capitals_is_a_place():
    doc = _doc("Bridge work on schedule.\nKEARNEY -- Crews poured the deck on Tuesday.")
    assert _found(doc, "Kearney") == ["KEARNEY"]
    # capitals without the dash are a headline word, not a dateline
    assert _found(_doc("KEARNEY WINS AGAIN on Friday."), "Kearney") == []


# --- places inside organisations, bylines and political affiliations ---------------------

def test_the_place_after_university_of_is_a_toponym():
    doc = _doc("She studied at the University of Cincinnati before moving to the Hospital of "
               "the University of Pennsylvania.",
               [("the University of Cincinnati", "ORG"),
                ("the Hospital of the University of Pennsylvania", "ORG")])
    assert _found(doc, "Cincinnati", "Pennsylvania") == ["Cincinnati", "Pennsylvania"]


def test_a_university_named_of_something_unknown_gives_no_place():
    doc = _doc("She studied at the University of Excellence.",
               [("the University of Excellence", "ORG")])
    assert _found(doc, "Cincinnati") == []


def test_a_court_named_after_its_town_holds_the_town():
    doc = _doc("He was arraigned in Bantam Superior Court on Tuesday.",
               [("Bantam Superior Court", "ORG")])
    assert _found(doc, "Bantam") == ["Bantam"]


def test_a_party_mark_gives_the_politicians_home_and_is_not_part_of_it():
    doc = _doc("Rep. Jerry McNerney, D-Pleasanton, and Rep. Torrey Westrom, R-Elbow Lake, "
               "spoke first.", [("Jerry McNerney", "PERSON"), ("Torrey Westrom", "PERSON")])
    assert _found(doc, "Pleasanton", "Elbow Lake") == ["Pleasanton", "Elbow Lake"]


def test_a_person_of_a_known_place_is_from_there():
    doc = _doc("Kalena Horhn of Grand Prairie said she remembers the rides. Mary Smith of "
               "Marketing Solutions said nothing.",
               [("Kalena Horhn", "PERSON"), ("Mary Smith", "PERSON")])
    assert _found(doc, "Grand Prairie") == ["Grand Prairie"]


def test_a_capitalised_dateline_with_a_colon_or_agency_mark_is_a_place():
    doc = _doc("Body found in river. BEIRUT: The body of a man was found. LEBANON (AP) — A "
               "pathologist testified.")
    assert _found(doc, "Beirut", "Lebanon") == ["BEIRUT", "LEBANON"]


def test_an_organisation_with_a_place_like_name_is_no_toponym():
    doc = _doc("The United Way of America and United Russia both reported.",
               [("The United Way of America", "ORG"), ("United Russia", "GPE")])
    assert _found(doc, "America", "Russia") == []


def test_a_common_word_inside_a_longer_name_is_not_taken_for_a_place():
    doc = _doc("The band placed third in the Junior High Small Class at Gainesville.",
               tags={})
    common = {"junior", "high", "small", "class", "band"}.__contains__
    found = find_toponyms(doc, knows=_knows("High", "Small", "Class", "Gainesville"),
                          common=common)
    assert [m.text for m in found] == ["Gainesville"]


def test_a_capital_standing_for_its_government_is_a_place_even_as_a_speaker():
    doc = _doc("Tbilisi says the separatists attacked first. Mr. Kvirikashvili says otherwise.",
               [("Tbilisi", "PERSON"), ("Kvirikashvili", "PERSON")], tags={"says": "VBZ"})
    for tok in doc:
        tok.lemma_ = "say" if tok.text == "says" else tok.lower_
    assert _found(doc, "Tbilisi", "Kvirikashvili") == ["Tbilisi"]


def test_a_town_before_an_institution_word_inside_a_person_span_is_a_place():
    doc = _doc("Huntsville Fire Chief Tom Grisham lifted the ban.",
               [("Huntsville Fire Chief Tom Grisham", "PERSON")])
    assert _found(doc, "Huntsville") == ["Huntsville"]


def test_a_shop_named_like_a_town_is_no_toponym():
    doc = _doc("He was arrested at the Walmart in Gainesville after leaving a Subway.",
               [("Walmart", "ORG"), ("Gainesville", "GPE"), ("Subway", "GPE")])
    assert _found(doc, "Walmart", "Gainesville", "Subway") == ["Gainesville"]


def test_a_person_named_like_a_terrain_word_is_no_toponym():
    doc = _doc("Ms. Hill thanked Virginia L. Lane and visited Garnett Ridge and W. Main St. "
               "later.")
    found = _found(doc, "Garnett Ridge")
    assert "Ms. Hill" not in found and "Virginia L. Lane" not in found
    assert "Garnett Ridge" in found and "W. Main St." in found


def test_a_known_town_ner_took_for_a_group_is_a_place_after_a_cue():
    doc = _doc("A bomb exploded near a police station in Al Arish. Egyptian troops came.",
               [("Al Arish", "NORP"), ("Egyptian", "NORP")])
    assert _found(doc, "Al Arish", "Egyptian") == ["Al Arish"]


def test_a_capitalised_preposition_opening_the_sentence_is_the_cue():
    doc = _doc("In Rusape, residents barricaded roads.", tags={"In": "IN", "Rusape": "NN"})
    found = find_toponyms(doc, knows=_knows("Rusape"), common={"residents"}.__contains__)
    assert [m.text for m in found] == ["Rusape"]


def test_a_lower_case_compass_word_is_a_cue_for_the_name_after_it():
    doc = _doc("Eight died in clan fighting in southern Mudug.", [("Mudug", "ORG")])
    assert _found(doc, "Mudug") == ["Mudug"]


def test_an_attack_verb_is_a_cue_for_a_place_but_not_for_a_person():
    doc = _doc("Jets struck Aleppo on Tuesday. Later a car struck Webster near his home.",
               [("Aleppo", "NORP"), ("Webster", "PERSON")])
    assert _found(doc, "Aleppo", "Webster") == ["Aleppo"]


def test_cues_reach_past_an_arabic_article_and_into_town_centres_and_slopes():
    doc = _doc("Civilians fled from al-Mayadin. Residents marched through the centre of Saraqib. "
               "Soldiers fought on the slopes below Halimat Qara. Troops raided camps in Arsal.",
               [("al-Mayadin", "PERSON"), ("Saraqib", "ORG"), ("Arsal", "PRODUCT")])
    found = find_toponyms(doc, knows=_knows("Mayadin", "Saraqib", "Halimat Qara", "Arsal"),
                          common={"civilians", "residents", "soldiers", "troops"}.__contains__)
    by_text = {m.text: m for m in found}
    assert set(by_text) == {"al-Mayadin", "Saraqib", "Halimat Qara", "Arsal"}
    assert not any(m.tentative for m in found)
    assert by_text["Halimat Qara"].near and not by_text["Saraqib"].near
