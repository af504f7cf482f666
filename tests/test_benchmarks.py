"""The benchmarks measure unseen text: the corpus generator and each module's ``run()``.

No timing assertions: only that the corpus is varied and deterministic, that warm-up and
timed sets are disjoint, and that every benchmark runs on a tiny size.
"""

from __future__ import annotations

import pytest

from benchmarks import _harness, corpus


def test_corpus_yields_distinct_non_empty_articles():
    articles = corpus.articles(300, seed=7)
    texts = [a.full_text for a in articles]
    assert len(articles) == 300
    assert all(a.text.strip() and a.title for a in articles)
    assert len(set(texts)) == 300
    assert len({a.id for a in articles}) == 300
    assert {a.source for a in articles} == {"bench-corpus:conflict", "bench-corpus:peaceful"}


def test_corpus_is_deterministic_for_a_seed():
    first = [(a.full_text, a.published) for a in corpus.articles(40, seed=11)]
    again = [(a.full_text, a.published) for a in corpus.articles(40, seed=11)]
    other = [(a.full_text, a.published) for a in corpus.articles(40, seed=12)]
    assert first == again
    assert first != other


def test_corpus_fills_every_field():
    for article in corpus.articles(200, seed=3):
        assert "{" not in article.full_text and "}" not in article.full_text


def test_corpus_falls_back_to_the_supplement(tmp_path):
    pool = corpus.places(str(tmp_path / "no-such-index.sqlite"))
    assert pool and {p.country for p in pool} <= {"LB", "SY"}


def test_generated_split_is_disjoint():
    data = _harness.generated(warm=20, timed=15, runs=2)
    warm = {a.full_text for a in data.warm}
    timed = [{a.full_text for a in batch} for batch in data.timed]
    assert len(warm) == 20 and [len(t) for t in timed] == [15, 15]
    assert not warm & timed[0] and not warm & timed[1] and not timed[0] & timed[1]


def test_split_is_disjoint_and_drops_duplicates():
    articles = corpus.articles(30, seed=5)
    data = _harness.split("x", "x", articles + articles[:10], warm=10, timed=6, runs=3)
    texts = [a.full_text for a in data.warm] + [a.full_text for b in data.timed for a in b]
    assert len(texts) == len(set(texts)) == 28
    with pytest.raises(ValueError, match="distinct articles"):
        _harness.split("x", "x", articles, warm=10, timed=10, runs=3)


@pytest.mark.slow
def test_bench_events_runs_on_a_tiny_size():
    from benchmarks import bench_events

    figures = bench_events.run(timed=3, warm=2, runs=1, sources=("generated",))
    result = figures["generated"]
    assert result["articles_per_set"] == 3 and result["warmup_articles"] == 2
    assert result["cold_articles_per_s"] > 0 and result["end_to_end_over_nlp_pipe"] > 0
    assert "unseen" in result["method"]


@pytest.mark.slow
def test_bench_geoparse_runs_on_a_tiny_size():
    from benchmarks import bench_geoparse

    figures = bench_geoparse.run(timed=3, warm=3, runs=1)
    assert figures["articles_per_set"] == 3
    assert set(figures["methods"]) == {"cold", "steady"}


@pytest.mark.slow
def test_bench_gazetteer_and_store_run_on_a_tiny_size(monkeypatch):
    from benchmarks import bench_gazetteer, bench_store

    assert 0 < bench_gazetteer.run(queries=40)["queries_exact"] <= 40
    monkeypatch.setenv("FRONTLINES_BENCH_SPATIAL_ROWS", "300")
    figures = bench_store.run(n=30)
    exact, merged = figures["sqlite exact-only"], figures["sqlite corroborate"]
    assert exact["articles_per_s"] > 0 and exact["merges"] == 0
    assert 0 < merged["events"] <= exact["events"]
