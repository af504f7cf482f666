"""The Ray engine gives what the local engine gives, event by event, with the same report.

Slow: a local Ray (2 CPUs) is started once for the module; the pipeline is the real one
(spaCy model, offline gazetteer). 100 generated articles here; 1,000 are compared by
``python -m benchmarks.bench_scale parity`` (see the closing report of issue #14).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from frontlines.errors import ConfigError
from frontlines.pipeline import Frontlines
from frontlines.settings import Settings

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def test_a_missing_ray_is_a_clear_error(monkeypatch):
    from frontlines.engine import make_engine

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(ConfigError, match=r"pip install 'frontlines\[ray\]'"):
        make_engine("ray", workers=2)


def test_unknown_engine_and_address_without_ray_are_refused():
    from frontlines.engine import make_engine

    with pytest.raises(ConfigError, match="choose one of local, ray"):
        make_engine("spark")
    with pytest.raises(ConfigError, match="--address is for --engine ray"):
        make_engine("local", address="auto")


def test_workers_without_ray_is_a_usage_error():
    from click.testing import CliRunner

    from frontlines.cli import main

    result = CliRunner().invoke(main, ["extract", str(EXAMPLES), "--workers", "2"])
    assert result.exit_code == 2 and "--workers is for --engine ray" in result.output


@pytest.fixture(scope="module")
def ray_engine():
    from frontlines.engine import make_engine

    engine = make_engine("ray", workers=2)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def settings(offline_gazetteer) -> Settings:
    return Settings(gazetteer=str(offline_gazetteer), batch_size=8)


def _dump(result) -> list[str]:
    return [json.dumps(a.to_dict(), sort_keys=True, default=str) for a in result.analyses]


def _report(result) -> tuple:
    r = result.report
    return (r.articles_read, r.articles_processed, r.events, r.toponyms,
            [(type(p), str(p)) for p in r.problems], r.warnings)


def _compare(sources, settings, engine):
    local = Frontlines(settings).extract(sources)
    remote = Frontlines(settings).extract(sources, engine=engine)
    assert len(remote.analyses) == len(local.analyses)
    for mine, theirs in zip(_dump(remote), _dump(local), strict=True):
        assert mine == theirs  # article, toponyms and every event field
    assert _report(remote) == _report(local)
    return local


@pytest.mark.slow
def test_ray_and_local_agree_on_examples_and_generated_articles(settings, ray_engine,
                                                                tmp_path, offline_gazetteer):
    sys.path.insert(0, str(REPO))
    from benchmarks import corpus

    articles = corpus.articles(100, seed=14, index=str(offline_gazetteer))
    path = tmp_path / "generated.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for number, a in enumerate(articles):
            published = None if number % 25 == 0 else str(a.published_date)  # warnings too
            fh.write(json.dumps({"id": a.id, "title": a.title, "text": a.text,
                                 "published": published, "source": a.source}) + "\n")
        fh.write('{"text": ""}\nnot json\n')
    local = _compare([EXAMPLES, path], settings, ray_engine)
    assert local.report.articles_read == 121 and len(local.report.problems) == 2
    assert local.report.events > 80 and len(local.report.warnings) == 4


@pytest.mark.slow
def test_ray_ingest_stores_what_local_ingest_stores(settings, ray_engine, tmp_path):
    from frontlines.store import Store

    dbs = {}
    for name, engine in (("local", None), ("ray", ray_engine)):
        db = f"sqlite:///{tmp_path / name}.db"
        Frontlines(Settings(**{**settings.as_dict(), "db": db})).ingest(
            sorted(EXAMPLES.glob("2017-08-*")), engine=engine)
        dbs[name] = Store(db)
    local, remote = dbs["local"], dbs["ray"]
    assert remote.counts() == local.counts()
    stored = [[{k: v for k, v in e.to_dict().items() if k != "timestamp"}  # when stored
               for e in store.events()] for store in (remote, local)]
    assert stored[0] == stored[1]
