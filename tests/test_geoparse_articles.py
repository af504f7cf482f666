"""Lower-case Arabic articles and region containers (issue #10): a name NER found that starts
with a hyphenated lower-case article ("al-Raqqa", "as-Suwayda") is a name; Y written as a
region ("in al-Hasakeh countryside") holds X when any of its namesake divisions does.
Team-written texts with real places."""

from __future__ import annotations

import spacy

from frontlines.geoparse import find_toponyms
from frontlines.geoparse.containment import contain
from frontlines.geoparse.rank import Option, Scored
from frontlines.geoparse.recognize import ToponymMatch
from frontlines.model import Place, Toponym


def _doc(text: str, *ents: tuple[str, str]):
    doc = spacy.blank("en")(text)
    spans = []
    for name, label in ents:
        start = text.index(name)
        span = doc.char_span(start, start + len(name), label=label)
        assert span is not None, name
        spans.append(span)
    doc.ents = spans
    return doc


def test_ner_name_with_a_hyphenated_lower_case_article_is_kept() -> None:
    text = "Mortar shells hit Ain Issa in al-Raqqa and a checkpoint near as-Suwayda on Friday."
    doc = _doc(text, ("Ain Issa", "GPE"), ("al-Raqqa", "GPE"), ("as-Suwayda", "GPE"))
    names = [m.text for m in find_toponyms(doc)]
    assert "al-Raqqa" in names and "as-Suwayda" in names


def test_lower_case_words_after_an_article_are_still_no_name() -> None:
    # NER sometimes labels a lower-case phrase; the article does not make it a name
    text = "Residents of the al-watan quarter fled."
    doc = _doc(text, ("al-watan", "LOC"))
    assert [m.text for m in find_toponyms(doc)] == []


def _place(gid: int, name: str, cc: str, lat: float, lon: float, code: str,
           admin1: str | None = None) -> Place:
    return Place(geonameid=gid, name=name, country_code=cc, latitude=lat, longitude=lon,
                 feature_class="A" if code.startswith("ADM") else "P", feature_code=code,
                 admin1_code=admin1)


# real places: al-Malikiyah (Derik) lies ~120 km from Hasakah city, inside the governorate
MALIKIYAH = _place(10, "Al Malikiyah", "SY", 37.17, 42.14, "PPLA2")
MALKIYA_BH = _place(11, "Malkiya", "BH", 26.10, 50.48, "PPL")
HASAKAH_CITY = _place(20, "Al Hasakah", "SY", 36.50, 40.75, "PPLA", "01")
HASAKAH_GOV = _place(21, "Al-Hasakah", "SY", 36.78, 40.98, "ADM1", "01")


def _scored(place: Place, match: str = "exact", score: float = 1.0) -> Scored:
    return Scored(Option(place, place.name, match, 1.0), score, (f"{match} name",))


def _contain(text: str, x: str, y: str, x_readings: list[Place]) -> Toponym:
    xs, ys = text.index(x), text.index(y)
    matches = [ToponymMatch(xs, xs + len(x), x, "ner"), ToponymMatch(ys, ys + len(y), y, "ner")]
    ranked = [[_scored(p) for p in x_readings],
              [_scored(HASAKAH_CITY), _scored(HASAKAH_GOV, score=0.8)]]
    toponyms = [Toponym(text=x, start=xs, end=xs + len(x), place=x_readings[0]),
                Toponym(text=y, start=ys, end=ys + len(y), place=HASAKAH_CITY)]
    return contain(text, matches, toponyms, ranked)[0]


def test_a_town_in_the_governorate_named_as_countryside_stays_put() -> None:
    # the city's own reach (60 km with its countryside) misses Malikiyah; the governorate
    # of the same name holds it, so the town is not moved onto the container's point
    text = "Clashes erupted in Malikiyah in al-Hasakeh countryside on Friday."
    assert _contain(text, "Malikiyah", "al-Hasakeh", [MALIKIYAH]).place == MALIKIYAH


def test_a_namesake_abroad_still_falls_to_the_container() -> None:
    text = "Clashes erupted in Malikiyah in al-Hasakeh countryside on Friday."
    got = _contain(text, "Malikiyah", "al-Hasakeh", [MALKIYA_BH])
    assert got.place == HASAKAH_CITY and got.geo_precision == 3
    assert "contained" in got.reason


def test_without_a_region_word_only_the_chosen_reading_holds() -> None:
    text = "Clashes erupted in Malikiyah in al-Hasakeh on Friday."
    got = _contain(text, "Malikiyah", "al-Hasakeh", [MALIKIYAH])
    assert got.place == HASAKAH_CITY and "contained" in got.reason


def test_region_head_word_takes_in_the_lower_case_article() -> None:
    # "al-Raqqa countryside": one name, read as a region, not the bare "Raqqa" beside NER's
    text = "Coalition jets struck a farm in al-Raqqa countryside on Tuesday."
    doc = _doc(text, ("al-Raqqa", "GPE"))
    (match,) = find_toponyms(doc)
    assert match.text == "al-Raqqa" and "A" in match.classes
