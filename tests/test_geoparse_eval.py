"""Geoparse evaluation: gold readers, metrics, and a run on small fixtures."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import spacy
from conftest import shared_file
from hypothesis import given
from hypothesis import strategies as st

from frontlines.errors import EvalError
from frontlines.geoparse import Geoparser, auc_of_errors, evaluate_geoparse, read_gold
from frontlines.geoparse.evaluate import MAX_ERROR_KM, GoldArticle, GoldToponym, score_articles
from frontlines.model import Place, Toponym

FIXTURES = Path(__file__).parent / "fixtures" / "geoparse"


def test_read_lgl_style():
    (article,) = read_gold(FIXTURES / "lgl_sample.xml")
    assert [t.text for t in article.toponyms] == ["Arsal", "Baalbek", "Zahle"]
    assert article.toponyms[0].geonameid == 273675
    assert article.toponyms[2].lat is None  # no gaztag: counts for recognition only


def test_read_geovirus_style_fixes_off_by_one_offsets():
    (article,) = read_gold(FIXTURES / "geovirus_sample.xml")
    for t in article.toponyms:
        assert article.text[t.start:t.end] == t.text
    assert [t.text for t in article.toponyms] == ["Hermel", "Tripoli", "Lebanon"]


def test_bad_gold_file_names_the_file(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<articles><article><text>x</text></article></articles>")
    with pytest.raises(EvalError, match="bad.xml"):
        list(read_gold(bad))
    with pytest.raises(EvalError, match="not found"):
        list(read_gold(tmp_path / "missing.xml"))


@pytest.mark.shared
def test_real_corpora_structure():
    lgl = list(read_gold(shared_file("dev/lgl/lgl.xml")))
    geovirus = list(read_gold(shared_file("dev/geovirus/GeoVirus.xml")))
    assert len(lgl) == 588 and sum(len(a.toponyms) for a in lgl) == 5088
    assert len(geovirus) == 229
    # every GeoVirus span was realigned onto its name
    assert sum(len(a.toponyms) for a in geovirus) >= 2160
    for a in geovirus[:50]:
        for t in a.toponyms:
            assert a.text[t.start:t.end] == t.text


@given(st.lists(st.floats(min_value=0, max_value=30000), min_size=1, max_size=50))
def test_auc_is_between_zero_and_one(errors):
    assert 0.0 <= auc_of_errors(errors) <= 1.0 + 1e-9


def test_auc_extremes_and_order():
    assert auc_of_errors([0, 0, 0]) == 0.0
    assert math.isclose(auc_of_errors([20039, 20039]), 1.0)
    assert auc_of_errors([1, 10, 100]) < auc_of_errors([10, 100, 1000])


def _toponym(start, end, text, lat=None, lon=None):
    place = None
    if lat is not None:
        place = Place(geonameid=1, name=text, country_code="LB", latitude=lat, longitude=lon)
    return Toponym(text=text, start=start, end=end, place=place)


def test_score_articles_counts_exact_overlap_and_distance():
    text = "Shelling hit Ras Baalbek and Arsal."
    gold = GoldArticle("a", text, (GoldToponym(13, 24, "Ras Baalbek", 34.259, 36.419),
                                   GoldToponym(29, 34, "Arsal", 34.179, 36.421)))
    predicted = [_toponym(17, 24, "Baalbek", 34.006, 36.218),   # overlapping, 34 km off
                 _toponym(29, 34, "Arsal", 33.5, 35.5),          # exact, ~110 km off
                 _toponym(0, 8, "Shelling")]                      # false positive
    s = score_articles([(gold, predicted)], covered=lambda g: g.text == "Arsal")
    assert (s.exact_precision, s.exact_recall) == (1 / 3, 1 / 2)
    assert (s.overlap_precision, s.overlap_recall) == (2 / 3, 1.0)
    assert s.resolved == 2 and s.acc_161 == 1.0
    assert s.covered == 1 and s.covered_resolved == 1 and s.coverage == 0.5


def test_headline_resolution_counts_every_gold_toponym_and_a_miss_as_the_worst_error():
    """A gold toponym nobody recognised is an error of 20,039 km in the headline figures;
    the 'overlapped' extra leaves it out and says so."""
    text = "Shelling hit Ras Baalbek and Arsal."
    gold = GoldArticle("a", text, (GoldToponym(13, 24, "Ras Baalbek", 34.259, 36.419),
                                   GoldToponym(29, 34, "Arsal", 34.179, 36.421)))
    found_one = score_articles([(gold, [_toponym(29, 34, "Arsal", 34.18, 36.42)])])
    assert found_one.with_coordinates == 2 and found_one.resolved == 1
    assert found_one.acc_161 == 0.5 and found_one.overlapped_acc_161 == 1.0
    assert found_one.mean_km == pytest.approx((MAX_ERROR_KM + found_one.overlapped_mean_km) / 2)
    found_both = score_articles([(gold, [_toponym(13, 24, "Ras Baalbek", 34.26, 36.42),
                                         _toponym(29, 34, "Arsal", 34.18, 36.42)])])
    assert found_both.acc_161 == 1.0 and found_both.auc < found_one.auc


@pytest.mark.shared
def test_evaluate_on_fixtures_with_the_slice_gazetteer(tmp_path):
    from frontlines.gazetteer import Gazetteer, build_index

    lb = shared_file("gazetteer/geonames-lb-2016/LB.txt")
    target = tmp_path / "lb.sqlite"
    build_index(target, sources=[lb])
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    geoparser = Geoparser(Gazetteer(target), nlp=nlp)
    seen = []
    report = evaluate_geoparse([FIXTURES / "lgl_sample.xml", FIXTURES / "geovirus_sample.xml"],
                               geoparser=geoparser, progress=lambda *a: seen.append(a))
    assert [c.corpus for c in report.corpora] == ["lgl_sample", "geovirus_sample"]
    assert report.overall.gold == 6 and report.overall.articles == 2
    assert report.overall.exact_recall == 1.0 and report.overall.acc_161 == 1.0
    assert report.overall.coverage == 1.0
    assert seen[-1] == ("geovirus_sample", 1, 1)
    data = report.to_dict()
    assert data["overall"]["exact_f1"] == report.overall.exact_f1
    from rich.console import Console

    console = Console(record=True, width=120)
    console.print(report.table())
    assert "Acc@161" in console.export_text()


def test_toponyms_placed_beyond_300_km_are_counted_and_listed_with_their_why():
    from frontlines.geoparse.evaluate import _score_one, _Tally

    text = "Shelling hit Ras Baalbek and Arsal."
    gold = GoldArticle("a", text, (GoldToponym(13, 24, "Ras Baalbek", 34.259, 36.419),
                                   GoldToponym(29, 34, "Arsal", 34.179, 36.421)))
    far = Toponym(text="Arsal", start=29, end=34, reason="exact name, a namesake (test)",
                  place=Place(geonameid=9, name="Arsal", country_code="US", latitude=36.0,
                              longitude=-89.0))
    tally, misses = _Tally("t"), []
    _score_one(tally, gold, [_toponym(13, 24, "Ras Baalbek", 34.26, 36.42), far], None, misses)
    scores = tally.scores()
    assert scores.beyond_300 == 1 and scores.beyond_300_share == 0.5
    assert misses[0]["why"] == "exact name, a namesake (test)" and misses[0]["km"] > 9000
