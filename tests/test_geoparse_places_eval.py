"""eval places: place labels scored against their coordinates (hand-written labels, real
places of the Lebanon-Syria border, the slice gazetteer)."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from frontlines.errors import EvalError
from frontlines.gazetteer import Gazetteer, build_index
from frontlines.geoparse import Geoparser
from frontlines.geoparse.places_eval import evaluate_places

FIXTURES = Path(__file__).parent / "fixtures" / "gazetteer"


@pytest.fixture(scope="module")
def geoparser(tmp_path_factory) -> Geoparser:
    target = tmp_path_factory.mktemp("gaz") / "slice.sqlite"
    build_index(target, sources=[FIXTURES / "levant_slice.txt"],
                admin1=FIXTURES / "admin1CodesASCII.txt", admin2=FIXTURES / "admin2Codes.txt",
                country_info=FIXTURES / "countryInfo.txt")
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return Geoparser(Gazetteer(target), nlp=nlp, region=("LB",))


def test_labels_are_scored_within_km_and_misses_say_why(geoparser, tmp_path):
    gold = tmp_path / "strikes.csv"
    gold.write_text(
        "row,description,town,lat,lon\n"
        "1,drone strike arsal,Arsal,34.1794,36.4208\n"
        "2,position near qaa,Al Qaa / Qaa,34.3436,36.4751\n"
        "3,vehicle hit in hermel,Hermel,34.3942,36.3847\n"
        "4,gathering ras baalbek,Ras Baalbek,34.2589,36.4192\n"
        "5,observation post,Wadi Unknownplace,34.0,36.0\n", encoding="utf-8")
    for together in (True, False):
        report = evaluate_places(gold, geoparser=geoparser, km=5, together=together)
        assert (report.labels, report.within) == (5, 4), report.misses
        assert report.misses[0]["label"] == "Wadi Unknownplace"
        assert report.to_dict()["accuracy"] == 0.8


def test_a_file_without_the_label_column_names_the_columns(geoparser, tmp_path):
    gold = tmp_path / "bad.csv"
    gold.write_text("name,lat,lon\nArsal,34.1,36.4\n", encoding="utf-8")
    with pytest.raises(EvalError, match="no column town"):
        evaluate_places(gold, geoparser=geoparser)
