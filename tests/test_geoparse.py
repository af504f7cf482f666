"""Geoparse: recognition on spacy.blank("en"), resolution on a real GeoNames slice.

The slice is built from ../shared/data (GeoNames LB 2016 + GeoNames-format SY from
Who's On First + admin codes); tests that need it skip with a reason when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from frontlines.geoparse import (
    Geoparser,
    Lexicon,
    ToponymMatch,
    find_toponyms,
    geo_precision,
)
from frontlines.geoparse.resolve import Context, Option, rank
from frontlines.model import Article, Place
from conftest import blank_nlp, knows_names, shared_file

FIXTURES = Path(__file__).parent / "fixtures" / "geoparse"
ARTICLES = yaml.safe_load((FIXTURES / "articles.yaml").read_text(encoding="utf-8"))


_blank, _knows = blank_nlp, knows_names


def _texts(matches: list[ToponymMatch]) -> list[str]:
    return [m.text for m in matches]


# --- recognition (pure, blank pipeline) ----------------------------------------------------

def test_head_words_and_coordinated_list_are_found_without_a_gazetteer():
    doc = _blank()("Kanzouha Hills, Tal'at el-Khanzeer, Daher el-Khanzeer Hills and Ras al-Kaf "
                   "have all been captured, the army said.")
    found = find_toponyms(doc)
    assert _texts(found) == ["Kanzouha Hills", "Tal'at el-Khanzeer", "Daher el-Khanzeer Hills",
                             "Ras al-Kaf"]
    assert {m.recognizer for m in found} == {"head-word"}
    assert found[0].classes[0] == "T" and found[0].stripped == "Kanzouha"


def test_list_propagates_from_a_known_place_to_unknown_names():
    doc = _blank()("Militants retreated to Jarajir, Flita and Rankous on Sunday.")
    found = find_toponyms(doc, knows=_knows("Jarajir"))
    assert _texts(found) == ["Jarajir", "Flita", "Rankous"]
    assert [m.recognizer for m in found][1:] == ["list", "list"]


def test_list_does_not_propagate_to_people_or_armed_groups():
    doc = _blank()("Arsal, Hezbollah and Nasrallah were named in the statement.")
    found = find_toponyms(doc, knows=_knows("Arsal"))
    assert _texts(found) == ["Arsal"]


@pytest.mark.parametrize("text", [
    "Hayy'at Tahrir al-Sham fighters withdrew on Monday.",
    "Hay'at Tahrir al-Sham and Saraya Ahl al-Sham agreed to leave.",
    "The Islamic State of Iraq and the Levant said it attacked.",
    "The Nusra Front and the Free Syrian Army clashed.",
    "Hezbollah fighters and ISIS militants clashed overnight.",
    "Abu Malik al-Talli and Hassan Nasrallah spoke.",
])
def test_armed_groups_and_people_are_not_toponyms(text):
    # even with a gazetteer that knows every place-like word inside them
    knows = _knows("Sham", "al-Sham", "Iraq", "Levant", "Syrian", "Tahrir", "Talli", "Nusra",
                   "Hassan", "Islamic State")
    assert find_toponyms(_blank()(text), knows=knows) == []


def test_demonyms_are_not_toponyms_but_the_country_is():
    doc = _blank()("Lebanese and Syrian troops met at the border between Lebanon and Syria.")
    found = find_toponyms(doc, knows=_knows("Lebanon", "Syria", "Lebanese", "Syrian"))
    assert _texts(found) == ["Lebanon", "Syria"]


def test_context_cue_makes_an_unknown_name_a_place_and_marks_near():
    doc = _blank()("Shells fell on the outskirts of Labweh and near Hermel overnight.")
    found = find_toponyms(doc)
    assert _texts(found) == ["Labweh", "Hermel"]
    assert all(m.near for m in found)
    assert {m.recognizer for m in found} == {"context"}


def test_lower_case_heads_mark_places_and_stay_in_or_out_of_the_span():
    doc = _blank()("They crossed the Anti-Lebanon mountains to reach the Arsal crossing.")
    found = find_toponyms(doc)
    assert _texts(found) == ["Anti-Lebanon mountains", "Arsal"]
    assert found[1].classes[0] == "S"


def test_title_case_headline_keeps_heads_apart_from_groups():
    doc = _blank()("Army Shells Jabal Halimah as Saraya Ahl al-Sham Leaves Arsal")
    found = find_toponyms(doc, knows=_knows("Arsal"))
    assert _texts(found) == ["Jabal Halimah", "Arsal"]


def test_offsets_point_into_the_text():
    text = "Rockets hit Baalbek. Later, residents of Ras Baalbek fled."
    for m in find_toponyms(_blank()(text), knows=_knows("Baalbek")):
        assert text[m.start:m.end] == m.text


def test_lexicon_folds_spelling_variants_of_groups():
    lexicon = Lexicon.load()
    text = "Hayat Tahrir al Sham and HAY'AT TAHRIR AL-SHAM"
    kinds = [(text[a:b], kind) for a, b, kind in lexicon.blocked_ranges(text)]
    assert ("Hayat Tahrir al Sham", "armed group") in kinds
    assert ("HAY'AT TAHRIR AL-SHAM", "armed group") in kinds
    # an acronym matches only in capitals: the verb "is" is not the group "IS"
    assert lexicon.blocked_ranges("It is quiet in Arsal.") == []


# --- spaCy components -----------------------------------------------------------------------

def test_recognizer_component_writes_spans_on_a_blank_pipeline():
    nlp = _blank()
    nlp.add_pipe("frontlines_toponyms", config={"use_gazetteer": False})
    doc = nlp("Fighting continued in Wadi Hamid and on Jabal Halimah near Arsal.")
    spans = doc.spans["toponyms"]
    assert [s.text for s in spans] == ["Wadi Hamid", "Jabal Halimah", "Arsal"]
    assert [s.label_ for s in spans] == ["head-word", "head-word", "context"]


# --- resolution on the real GeoNames slice ----------------------------------------------------

@pytest.fixture(scope="module")
def slice_gazetteer(tmp_path_factory):
    from frontlines.gazetteer import Gazetteer, build_index

    lb = shared_file("gazetteer/geonames-lb-2016/LB.txt")
    sy = shared_file("gazetteer/geonames-format-from-wof/SY.txt")
    admin = lb.parents[1] / "geonames-admin-codes"
    target = tmp_path_factory.mktemp("gaz") / "lb-sy.sqlite"
    build_index(target, sources=[lb, sy],
                admin1=admin / "admin1CodesASCII-levant.txt",
                admin2=admin / "admin2Codes-levant.txt")
    return Gazetteer(target)


@pytest.fixture(scope="module")
def blank_geoparser(slice_gazetteer):
    return Geoparser(slice_gazetteer, nlp=_blank())


def _article(entry) -> Article:
    return Article.make(title=entry["title"], text=entry["text"],
                        published=entry["published"], id=entry["id"])


@pytest.mark.shared
@pytest.mark.parametrize("entry", ARTICLES, ids=[a["id"] for a in ARTICLES])
def test_fixture_articles_resolve_to_pinned_geonames_ids(blank_geoparser, entry):
    article = _article(entry)
    toponyms = blank_geoparser.geoparse(article)
    full = article.full_text
    for t in toponyms:
        assert full[t.start:t.end] == t.text
        assert t.place is not None or t.reason
    by_text: dict[str, int | None] = {}
    for t in toponyms:
        by_text.setdefault(t.text, t.place.geonameid if t.place else None)
    for surface, geonameid in entry["expect"].items():
        assert by_text.get(surface) == geonameid, (surface, by_text, [
            (t.text, t.reason) for t in toponyms if t.text == surface])


@pytest.mark.shared
def test_coverage_names_resolve(blank_geoparser):
    """The test names of shared/data/gazetteer/COVERAGE.md, each in a realistic sentence."""
    cases = [
        ("Shells fell on Baalbek overnight.", "Baalbek", 277130),
        ("The army shelled hills east of Ras Baalbek.", "Ras Baalbek", 268745),
        ("Residents of Qaa in the Bekaa valley fled.", "Qaa", 279268),
        ("Troops deployed to Fakiha in the Bekaa valley.", "Fakiha", 280221),
        ("Refugees in Arsal, Lebanon, were moved.", "Arsal", 273675),
        ("A car bomb hit Hermel in the Bekaa valley of Lebanon.", "Hermel", 279997),
        ("Rockets landed near Labweh, Lebanon.", "Labweh", 279662),
        ("Rockets landed near Nabi Othman in the Bekaa, Lebanon.", "Nabi Othman", 278866),
        ("Syrian troops took Qara, north of Yabroud in Syria.", "Qara", 166111),
        ("Militants fled to Jarajir in Syria.", "Jarajir", 169175),
        ("Militants fled to Flita in Syria.", "Flita", 170476),
        ("Government forces captured Yabroud in Syria.", "Yabroud", 162627),
        ("The army took Nabk on the Damascus highway in Syria.", "Nabk", 173193),
        ("Qusayr fell to Syrian forces and Hezbollah near Homs in Syria.", "Qusayr", 173322),
        ("Militants crossed the Anti-Lebanon mountains from Syria.", "Anti-Lebanon mountains",
         173153),
        ("Fighting raged in the Western Qalamoun in Syria.", "Western Qalamoun", None),
        ("Militants hid in Jurd Arsal in Lebanon.", "Jurd Arsal", None),
    ]
    resolved = 0
    failures = []
    for text, name, geonameid in cases:
        toponyms = blank_geoparser.geoparse_text(text)
        hit = next((t for t in toponyms if t.text == name), None)
        if hit is None or hit.place is None:
            failures.append((name, "not found" if hit is None else hit.reason))
            continue
        if geonameid is None:
            # no GeoNames id in these dumps: a place in the right country is enough
            ok = hit.place.country_code == ("SY" if "Qalamoun" in name else "LB")
        else:
            ok = hit.place.geonameid == geonameid
        if ok:
            resolved += 1
        else:
            failures.append((name, hit.place.name, hit.place.geonameid, hit.reason))
    assert resolved >= 15, failures


@pytest.mark.shared
def test_qara_beside_yabroud_is_the_syrian_one(blank_geoparser):
    toponyms = blank_geoparser.geoparse_text(
        "Hezbollah and the Syrian army advanced on Qara and Yabroud.")
    qara = next(t for t in toponyms if t.text == "Qara")
    assert qara.place is not None and qara.place.country_code == "SY"
    assert qara.place.geonameid == 166111


@pytest.mark.shared
def test_qusayr_in_a_syria_story_is_syrian(blank_geoparser):
    toponyms = blank_geoparser.geoparse_text(
        "Syrian troops and Hezbollah fighters entered Qusayr, west of Homs, on Wednesday; "
        "rebels fled north towards Homs and east to Damascus countryside in Syria.")
    qusayr = next(t for t in toponyms if t.text == "Qusayr")
    assert qusayr.place is not None and qusayr.place.country_code == "SY"


@pytest.mark.shared
def test_country_names_resolve_to_the_country_never_a_building(blank_geoparser,
                                                              slice_gazetteer):
    toponyms = blank_geoparser.geoparse_text(
        "Talks between Lebanon and Syria resumed in Beirut.")
    by_text = {t.text: t for t in toponyms}
    for name, gid in (("Lebanon", 272103), ("Syria", 163843)):
        place = by_text[name].place
        assert place is not None and place.geonameid == gid
        assert place.feature_code == "PCLI" and by_text[name].geo_precision == 3
    # the gazetteer does hold non-country places answering to "Syria"/"Lebanon"
    others = [c for c in slice_gazetteer.lookup("Syria") if c.place.feature_code != "PCLI"]
    assert others, "the slice should offer homonyms for this test to mean something"


@pytest.mark.shared
def test_unresolvable_name_falls_back_and_does_not_empty_the_article(blank_geoparser):
    text = ("The army captured Tallet Umm Khurrafa Hills near Ras Baalbek and shelled Qaa "
            "on Sunday.")
    toponyms = blank_geoparser.geoparse_text(text)
    by_text = {t.text: t for t in toponyms}
    hill = by_text["Tallet Umm Khurrafa Hills"]
    assert hill.place is not None and hill.place.geonameid == 268745
    assert hill.geo_precision == 2 and "no candidate" in hill.reason
    assert by_text["Qaa"].place.geonameid == 279268
    assert by_text["Ras Baalbek"].place.geonameid == 268745


@pytest.mark.shared
def test_a_name_with_no_anchor_gets_an_explicit_reason(blank_geoparser):
    toponyms = blank_geoparser.geoparse_text("Residents of Xqzvillebury said nothing.")
    assert [t.text for t in toponyms] == ["Xqzvillebury"]
    assert toponyms[0].place is None and toponyms[0].reason == "no candidate in gazetteer"


@pytest.mark.shared
def test_geoparser_component_writes_resolved_toponyms(slice_gazetteer):
    nlp = _blank()
    nlp.add_pipe("frontlines_toponyms").use_gazetteer(slice_gazetteer)
    nlp.add_pipe("frontlines_geoparser").use_gazetteer(slice_gazetteer)
    doc = nlp("Rockets hit Hermel and Labweh on Friday.")
    assert [s.text for s in doc.spans["toponyms"]] == ["Hermel", "Labweh"]
    assert [t.place.geonameid for t in doc._.toponyms] == [279997, 279662]


# --- ranking (pure) -------------------------------------------------------------------------

def _place(gid, name, fclass, fcode, lat=34.0, lon=36.0, cc="LB", pop=0):
    return Place(geonameid=gid, name=name, country_code=cc, latitude=lat, longitude=lon,
                 feature_class=fclass, feature_code=fcode, population=pop)


def test_rank_prefers_terrain_for_hills_and_towns_otherwise():
    hill = _place(1, "Qornet Hill", "T", "HLL")
    town = _place(2, "Qornet", "P", "PPL", pop=2000)
    options = [Option(hill, "Qornet", "exact", 1.0), Option(town, "Qornet", "exact", 1.0)]
    as_hill = ToponymMatch(0, 12, "Qornet Hills", "head-word", classes=("T", "P"))
    plain = ToponymMatch(0, 6, "Qornet", "gazetteer")
    assert rank(options, as_hill, Context())[0].option.place.geonameid == 1
    assert rank(options, plain, Context())[0].option.place.geonameid == 2


def test_rank_uses_country_focus_and_nearby_anchors():
    lb = _place(1, "Qaa", "P", "PPL", 34.34, 36.47, "LB")
    sy = _place(2, "Qaa", "P", "PPL", 35.9, 38.9, "SY", pop=3000)
    options = [Option(lb, "Qaa", "exact", 1.0), Option(sy, "Qaa", "exact", 1.0)]
    m = ToponymMatch(0, 3, "Qaa", "gazetteer")
    assert rank(options, m, Context())[0].option.place.country_code == "SY"
    near = Context(focus={"LB": 0.8, "SY": 0.2}, anchors=((5, 34.26, 36.42, "Ras Baalbek"),))
    best = rank(options, m, near)[0]
    assert best.option.place.country_code == "LB"
    assert any("Ras Baalbek" in why for why in best.why)


def _us(gid, name, fcode, lat, lon, admin1, pop=0, fclass="P"):
    return Place(geonameid=gid, name=name, country_code="US", latitude=lat, longitude=lon,
                 feature_class=fclass, feature_code=fcode, admin1_code=admin1, population=pop)


def test_a_place_written_before_its_state_is_read_inside_it():
    """"Athens, Tenn.": the Tennessee town beats the Greek capital and the Georgia city."""
    from frontlines.geoparse.resolve import _containers

    text = "Police in Athens, Tenn., said the fire was out."
    greece = Place(geonameid=1, name="Athens", country_code="GR", latitude=37.98,
                   longitude=23.73, feature_class="P", feature_code="PPLC", population=664046)
    georgia = _us(2, "Athens", "PPL", 33.96, -83.38, "GA", pop=127064)
    tennessee = _us(3, "Athens", "PPL", 35.44, -84.59, "TN", pop=14000)
    state = _us(4, "Tennessee", "ADM1", 35.75, -86.25, "TN", fclass="A")
    athens = ToponymMatch(10, 16, "Athens", "ner")
    tenn = ToponymMatch(18, 23, "Tenn.", "ner")
    options = [[Option(p, "Athens", "exact", 1.0) for p in (greece, georgia, tennessee)],
               [Option(state, "Tenn.", "alias", 1.0)]]
    context = _containers(text, [athens, tenn], options)
    assert context.containers == {0: ("US", "TN")} and context.contained == {1: 4}
    assert rank(options[0], athens, Context())[0].option.place.country_code == "GR"
    best = rank(options[0], athens, context, index=0)[0]
    assert best.option.place.geonameid == 3 and any("as written" in w for w in best.why)
    # no comma, no container: "Athens and Tennessee" says nothing about which Athens
    apart = _containers("Athens and Tennessee", [athens, ToponymMatch(11, 20, "Tennessee",
                                                                      "ner")], options)
    assert apart.containers == {}


def test_a_country_shares_the_focus_of_its_own_places():
    """"Mexico" next to "Mexico City": the country, not the city, when the name is the
    country's (the city's nearness must not pull the country's name onto it)."""
    country = Place(geonameid=1, name="Mexico", country_code="MX", latitude=23.0,
                    longitude=-102.0, feature_class="A", feature_code="PCLI",
                    population=126190788)
    city = Place(geonameid=2, name="Mexico City", country_code="MX", latitude=19.43,
                 longitude=-99.13, feature_class="P", feature_code="PPLC", admin1_code="09",
                 population=12294193)
    options = [Option(country, "Mexico", "exact", 1.0), Option(city, "Mexico", "exact", 1.0,
                                                                 alt_names=200)]
    m = ToponymMatch(0, 6, "Mexico", "ner")
    context = Context(focus={"MX": 1.0}, admin_focus={("MX", "09"): 1.0}, admin_total=1.0,
                      anchors=((3, 19.43, -99.13, "Mexico City"),), anchor_countries={3: "MX"},
                      total=1.0)
    assert rank(options, m, context, index=0)[0].option.place.geonameid == 1


def test_geo_precision_levels():
    assert geo_precision(_place(1, "Arsal", "P", "PPL")) == 1
    assert geo_precision(_place(1, "Arsal", "P", "PPL"), near=True) == 2
    assert geo_precision(_place(2, "Lebanon", "A", "PCLI")) == 3
    assert geo_precision(_place(3, "Baalbek-Hermel", "A", "ADM1")) == 3
    # a named group of hills is part of a small area, a mountain range is a region
    assert geo_precision(_place(4, "Kanzouha hills", "T", "HLLS")) == 2
    assert geo_precision(_place(5, "Anti-Lebanon", "T", "MTS")) == 3


# --- properties and regions ---------------------------------------------------------------

_WORDS = st.sampled_from(["Ras", "Baalbek", "al-", "Qaa", "near", "and", ",", "Hills", "the",
                          "Hezbollah", "in", "Tal'at", "el-Khanzeer", "Lebanese", "army", ".",
                          "Jabal", "camp", "Syria", "'", "Al", "Qa'", "outskirts", "of", "\n"])


_SALAD_NLP = _blank()


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, max_size=25))
def test_recognizer_offsets_hold_on_any_word_salad(words):
    text = " ".join(words)
    doc = _SALAD_NLP(text)
    found = find_toponyms(doc, knows=_knows("Baalbek", "Qaa", "Syria"))
    for m in found:
        assert text[m.start:m.end] == m.text and m.text.strip() == m.text
    spans = sorted((m.start, m.end) for m in found)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # no overlaps
    assert not any("Hezbollah" in m.text or m.text == "Lebanese" for m in found)


@pytest.mark.shared
def test_state_abbreviations_and_regions_resolve_without_gazetteer_rows(blank_geoparser):
    toponyms = blank_geoparser.geoparse_text(
        "Police in Evansville, Ind., and officials across the Middle East and Africa met.")
    by_text = {t.text: t for t in toponyms}
    assert by_text["Ind."].place.name == "Indiana" and by_text["Ind."].geo_precision == 3
    assert by_text["Africa"].place.feature_code == "CONT"


# --- people, institutions, plural heads (pure, blank pipeline) ------------------------------

def _with_ents(text: str, ents: list[tuple[str, str, int]]):
    """A blank-pipeline doc with NER spans set by hand: (surface, label, occurrence)."""
    doc = _blank()(text)
    spans = []
    for surface, label, nth in ents:
        start = -1
        for _ in range(nth + 1):
            start = text.index(surface, start + 1)
        spans.append(doc.char_span(start, start + len(surface), label=label))
    doc.ents = spans
    return doc


def test_a_surname_of_a_person_named_in_full_is_not_a_place():
    text = ("Former Epsom police chief Henry Farrin was arrested on March 11. Farrin, 43, "
            "denied the charge in Concord.")
    doc = _with_ents(text, [("Epsom", "GPE", 0), ("Henry Farrin", "PERSON", 0),
                            ("Farrin", "GPE", 1), ("Concord", "GPE", 0)])
    found = _texts(find_toponyms(doc, knows=_knows("Epsom", "Concord", "Farrin")))
    assert found == ["Epsom", "Concord"]
    # without the full name in the text, the same NER span stays a place
    alone = _with_ents("Farrin, 43, denied the charge in Concord.",
                       [("Farrin", "GPE", 0), ("Concord", "GPE", 0)])
    assert _texts(find_toponyms(alone, knows=_knows("Concord", "Farrin"))) == [
        "Farrin", "Concord"]


def test_a_known_place_before_an_institution_word_is_a_toponym():
    text = "Two Roselle police officers and the Lombard Historical Society met on Friday."
    ents = [("Lombard Historical Society", "ORG", 0)]
    found = find_toponyms(_with_ents(text, ents), knows=_knows("Roselle", "Lombard"))
    assert [(m.text, m.recognizer) for m in found] == [("Roselle", "organisation"),
                                                       ("Lombard", "organisation")]
    # the gazetteer must know the name: an unknown one stays part of the institution
    assert find_toponyms(_with_ents(text, ents), knows=_knows("Roselle")) == [found[0]]


def test_names_before_a_plural_county_head_are_each_a_place():
    doc = _blank()("Fire crews from Clarke, Barrow and Walton counties were called in on "
                   "Sunday.")
    found = find_toponyms(doc)
    assert _texts(found) == ["Clarke", "Barrow", "Walton"]
    assert found[2].recognizer == "head-word" and found[2].classes[0] == "A"
