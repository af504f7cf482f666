"""Resolution ranking: spatial coherence between the names of an article, and places found
only under another of their names. Pure functions on small hand-made Place records."""

from __future__ import annotations

from frontlines.geoparse import ToponymMatch
from frontlines.geoparse.resolve import (
    Context,
    Option,
    _field,
    _known_otherwise,
    coherence,
    nearness,
    rank,
)
from frontlines.model import Place


def _place(gid, name, lat, lon, *, cc="US", admin1="", fcode="PPL", pop=0):
    return Place(geonameid=gid, name=name, country_code=cc, latitude=lat, longitude=lon,
                 feature_class="A" if fcode.startswith(("ADM", "PCL")) else "P",
                 feature_code=fcode, admin1_code=admin1 or None, population=pop)


# Two counties and two towns of the same names, one pair in Texas, one in Alabama.
WALKER_TX = _place(1, "Walker County", 30.74, -95.57, admin1="TX", fcode="ADM2")
WALKER_AL = _place(2, "Walker County", 33.79, -87.30, admin1="AL", fcode="ADM2")
HUNTSVILLE_TX = _place(3, "Huntsville", 30.72, -95.55, admin1="TX", pop=38_548)
HUNTSVILLE_AL = _place(4, "Huntsville", 34.73, -86.59, admin1="AL", pop=190_582)

TEXT = ("The burn ban issued for Walker County was lifted Monday after the Huntsville fire "
        "chief met the county judge.")


def _match(name: str, *, classes=()) -> ToponymMatch:
    start = TEXT.index(name)
    return ToponymMatch(start, start + len(name), name, "ner", classes=classes)


def _options(*places):
    return [Option(p, p.name, "exact", 1.0) for p in places]


def test_nearness_is_one_beside_and_half_at_the_scale():
    assert nearness(0.0) == 1.0
    assert abs(nearness(50.0) - 0.5) < 1e-9
    assert nearness(1000.0) < 0.01


def test_coherence_reads_the_other_names_best_reading_near_a_candidate():
    walker, huntsville = _match("Walker County", classes=("A", "L")), _match("Huntsville")
    # alone, the bigger Huntsville (Alabama) wins, and the counties tie
    alone = rank(_options(HUNTSVILLE_AL, HUNTSVILLE_TX), huntsville, Context(), index=1)
    assert alone[0].option.place.admin1_code == "AL"
    ranked = [rank(_options(WALKER_AL, WALKER_TX), walker, Context(), index=0), alone]
    names = ("walker county", "huntsville")
    context = Context(field=_field(ranked, [walker, huntsville], names), names=names)
    # Huntsville, Texas, is a little behind its Alabama namesake but lies 2 km from the Texas
    # county; Huntsville, Alabama lies 100+ km from the Alabama county
    assert coherence(WALKER_TX, context, index=0) > 0.8
    assert coherence(WALKER_AL, context, index=0) < 0.3
    best = rank(_options(WALKER_AL, WALKER_TX), walker, context, index=0)[0]
    assert best.option.place.admin1_code == "TX"
    assert any("near the article's other places" in why for why in best.why)


def test_a_name_lends_nothing_to_itself_or_to_the_same_entry():
    huntsville = _match("Huntsville")
    ranked = [rank(_options(HUNTSVILLE_AL, HUNTSVILLE_TX), huntsville, Context(), index=0)]
    field = _field(ranked, [huntsville], ("huntsville",))
    assert coherence(HUNTSVILLE_TX, Context(field=field, names=("huntsville",)), index=0) == 0
    # under another name ("Huntsville City"), the same gazetteer entry confirms nothing
    other = Context(field=field, names=("huntsville city",))
    assert coherence(HUNTSVILLE_AL, other, index=0) == 0
    assert coherence(HUNTSVILLE_TX, other, index=0) > 0


def test_a_first_level_division_is_supported_by_the_names_inside_it():
    texas = _place(10, "Texas", 31.25, -99.25, admin1="TX", fcode="ADM1")
    alabama = _place(11, "Alabama", 32.75, -86.75, admin1="AL", fcode="ADM1")
    huntsville = _match("Huntsville")
    ranked = [rank(_options(HUNTSVILLE_TX), huntsville, Context(), index=0)]
    names = ("huntsville", "texas")
    context = Context(field=_field(ranked, [huntsville], names[:1]), names=names)
    assert coherence(texas, context, index=1) == 1.0
    assert coherence(alabama, context, index=1) == 0.0


def test_tentative_names_lend_no_support():
    huntsville = ToponymMatch(0, 10, "Huntsville", "gazetteer", tentative=True)
    ranked = [rank(_options(HUNTSVILLE_TX), huntsville, Context(), index=0)]
    assert _field(ranked, [huntsville], ("huntsville",)) == {}


def test_a_town_named_like_a_state_needs_more_than_its_neighbours():
    text = "Cases were confirmed in New York, New Jersey and California."
    start = text.index("California")
    match = ToponymMatch(start, start + 10, "California", "ner")
    state = _place(20, "California", 37.25, -119.75, admin1="CA", fcode="ADM1")
    town = _place(21, "California", 40.06, -79.89, admin1="PA", pop=6_500)
    pittsburgh = _place(22, "Pittsburgh", 40.44, -80.0, admin1="PA", pop=300_000)
    options = [Option(state, "California", "alias", 1.0), Option(town, "California", "exact", 1.0)]
    other = ToponymMatch(0, 10, "Pittsburgh", "ner")
    ranked = [rank(_options(pittsburgh), other, Context(), index=0)]
    names = ("pittsburgh", "california")
    context = Context(field=_field(ranked, [other], names[:1]), names=names)
    best = rank(options, match, context, index=1)[0]
    assert best.option.place.feature_code == "ADM1"


def test_known_otherwise_spots_alternate_names_but_not_spellings_or_head_words():
    assert _known_otherwise("Beeville", "Maryville")
    assert _known_otherwise("Springdale", "Shiloh")
    assert not _known_otherwise("Qārah", "Qara")
    assert not _known_otherwise("Yabrūd", "Yabroud")
    assert not _known_otherwise("Qornet Hill", "Qornet")
    assert not _known_otherwise("Al Qusayr", "Qusayr")


def test_a_place_called_by_the_name_beats_one_that_merely_answers_to_it():
    text = "Voice of experience speaks in Maryville."
    start = text.index("Maryville")
    match = ToponymMatch(start, start + 9, "Maryville", "ner")
    maryville = _place(30, "Maryville", 38.72, -89.96, admin1="IL", pop=7_500)
    beeville = _place(31, "Beeville", 28.40, -97.75, admin1="TX", pop=13_277)
    options = [Option(beeville, "Maryville", "exact", 1.0, 9),
               Option(maryville, "Maryville", "exact", 1.0, 3)]
    ranked = rank(options, match, Context())
    assert ranked[0].option.place.geonameid == 30
    assert any("known as 'Beeville'" in why for why in ranked[1].why)


def test_name_parts_split_long_names_at_connectors_dashes_and_possessives():
    from frontlines.geoparse._lexicon import Lexicon
    from frontlines.geoparse.resolve import _name_parts

    lexicon = Lexicon.load()
    parts = lambda name: _name_parts(name, lexicon.stop_words, lexicon.suffix_heads)  # noqa: E731
    assert parts("Paris-Henry County") == [["Paris"], ["Henry", "County"]]
    assert parts("City of Norfolk") == [["Norfolk"]]
    assert parts("Moscow's Domodedovo Airport") == [["Moscow"], ["Domodedovo", "Airport"]]
    assert parts("Titus County Jail") == [["Titus", "County", "Jail"]]


# --- loose readings far from the places a sentence names exactly ----------------------------

def _drop_case():
    from frontlines.geoparse.resolve import Scored, _drop_far_loose
    from frontlines.model import Toponym

    text = "A drone hit the Yakla area of al-Bayda province in central Yemen."
    ackley = _place(10, "Ackley", 42.55, -93.05, admin1="IA")
    bayda = _place(11, "Al Bayda", 13.99, 45.57, cc="YE")
    yemen = _place(12, "Yemen", 15.5, 47.5, cc="YE", fcode="PCLI")

    def top(place, match, name):
        start = text.index(name)
        option = Option(place=place, matched_name=place.name, match=match, similarity=1.0)
        return (Toponym(text=name, start=start, end=start + len(name), place=place),
                [Scored(option=option, score=1.0, why=())])

    rows = [top(ackley, "key", "Yakla"), top(bayda, "exact", "Bayda"),
            top(yemen, "exact", "Yemen")]
    return _drop_far_loose, text, rows


def test_a_spelling_key_match_an_ocean_away_from_its_sentence_is_dropped():
    drop, text, rows = _drop_case()
    toponyms, ranked = [t for t, _ in rows], [s for _, s in rows]
    out = drop(text, toponyms, ranked, [(0, len(text))])
    assert out[0].place is None and "1000 km" in out[0].reason
    assert out[1].place is not None and out[2].place is not None


def test_an_exact_match_or_a_near_loose_match_is_kept():
    drop, text, rows = _drop_case()
    toponyms, ranked = [t for t, _ in rows], [s for _, s in rows]
    exact = [ranked[0][0].__class__(option=Option(place=ranked[0][0].option.place,
                                                  matched_name="Yakla", match="exact",
                                                  similarity=1.0), score=1.0, why=())]
    out = drop(text, toponyms, [exact, *ranked[1:]], [(0, len(text))])
    assert out[0].place is not None
    near = _place(13, "Yakla", 14.1, 45.4, cc="YE")
    toponyms[0] = toponyms[0].replace(place=near)
    out = drop(text, toponyms, ranked, [(0, len(text))])
    assert out[0].place is not None
