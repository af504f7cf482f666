"""Scenario through the real pipeline: dated reports -> Events -> control map and alerts.

Needs the spaCy model and the shared GeoNames dumps (LB, SY), from which a gazetteer index is
built in a temporary folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import shared_file
from test_control_scenario import FIXTURES, scenario_places

from frontlines.control import ControlMap, alerts, load_initial

SCENARIOS = Path(__file__).parent / "scenarios"
D = dt.date

pytestmark = [pytest.mark.slow, pytest.mark.shared]


@pytest.fixture(scope="module")
def pipeline_events(tmp_path_factory, nlp):
    from frontlines.gazetteer import Gazetteer
    from frontlines.gazetteer.build import build_index
    from frontlines.pipeline import Frontlines

    sources = [shared_file("gazetteer/geonames-lb-2016/LB.txt"),
               shared_file("gazetteer/geonames-format-from-wof/SY.txt")]
    index = build_index(tmp_path_factory.mktemp("gaz") / "gaz.sqlite", sources=sources)
    result = Frontlines(gazetteer=Gazetteer(index), nlp=nlp).extract(
        [SCENARIOS / "aug2017_jurd_reports.jsonl"])
    assert result.report.articles_processed == 4
    return result.events


@pytest.fixture(scope="module")
def cmap(pipeline_events):
    border = shared_file("dev/wiki_lebanon_control_map/lebanese_insurgency_detailed_map_marks.csv")
    marks = load_initial(border) + load_initial(FIXTURES / "jroud_isil_marks.csv")
    return ControlMap(initial=marks, events=pipeline_events)


@pytest.mark.parametrize(("name", "day", "after"), [
    ("Dhour el Khanzir", 19, "Lebanese Government"),  # reported as Tallet al-Khanzir
    ("Ras el Kaf", 19, "Lebanese Government"),
    ("Qurnat al-Hashishat", 20, "Syrian Government"),  # reported as Qornet el Hashishat
])
def test_reports_move_the_hills_on_their_dates(cmap, name, day, after):
    assert cmap.snapshot(D(2017, 8, day - 1)).point(name).side == "ISIL"
    state = cmap.snapshot(D(2017, 8, day)).point(name)
    assert state.side == after
    assert all(e.article_id.startswith("scn-") and e.sentence for e in state.evidence)


def test_two_outlets_confirm_tallet_al_khanzir(cmap):
    state = cmap.snapshot(D(2017, 8, 19)).point("Dhour el Khanzir")
    assert set(state.sources) == {"National News Agency", "The Daily Star"}
    assert state.state in ("confirmed", "contested")


def test_pipeline_events_drive_alerts(cmap, pipeline_events):
    places = scenario_places()
    on18 = {(a.place.name, a.rule) for a in alerts(D(2017, 8, 18), events=pipeline_events,
                                                     control=cmap, places=places)}
    on20 = {(a.place.name, a.rule) for a in alerts(D(2017, 8, 20), events=pipeline_events,
                                                     control=cmap, places=places)}
    assert ("El Qaa", "hostile-position-near-town") in on18
    assert ("El Qaa", "hostile-position-near-town") not in on20
    assert ("Ras Baalbek", "shelling-nearby") in on20
    assert not any(rule == "shelling-nearby" for _, rule in on18)
