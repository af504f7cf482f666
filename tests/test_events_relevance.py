"""The relevance gate (frontlines/events/relevance.py): fast, no spaCy model needed.

The example sentences here were written for these tests and are in none of the training files
(a test checks that), so they measure the shipped model rather than recall its data.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from frontlines.errors import ModelNotInstalledError
from frontlines.events.relevance import (
    DATA_DIR,
    DEFAULT_MODEL_PATH,
    RelevanceGate,
    domain_share,
    features,
    hash_features,
)

RELEVANT = [
    "An air strike on a village east of Maarat al-Numan killed four civilians on Thursday.",
    "Regime artillery shelled the outskirts of Kafr Nabudah overnight, wounding a woman.",
    "The army regained control of Tal Hamis after fierce fighting with the militants.",
    "Hundreds of demonstrators protested in Nasiriyah against the shortage of drinking water.",
    "Security forces arrested three suspected members of an IS cell in western Mosul.",
    "Houthi fighters and government troops clashed near the Kasara front, leaving five dead.",
    "A roadside bomb struck a police vehicle on the road to Baqubah, injuring two officers.",
    "Israeli forces detained two young men during a raid on the Balata camp.",
]

NOT_RELEVANT = [
    "The dollar has hit a six-week peak against the Swiss franc after the jobs report.",
    "Rising steel costs hit the shipbuilder's annual earnings, the chief executive said.",
    "Everton and Fulham clash at Goodison Park on Saturday in a battle to avoid relegation.",
    "Floodwater swept through the lower town after three days of rain, drowning two men.",
    "The foreign ministers of Oman and Jordan held a summit in Muscat on water and trade.",
    "Kurdish forces have controlled the area since 2014.",
    "The historical drama about the siege bombed at the box office in its opening weekend.",
    "Hezbollah's leader said in a televised speech that the group could hit back if provoked.",
]


@pytest.fixture(scope="module")
def gate() -> RelevanceGate:
    return RelevanceGate()


def _training_texts() -> set[str]:
    texts: set[str] = set()
    for name in ("negatives.yaml", "positives.yaml"):
        data = yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))
        texts.update(s.strip().lower() for items in data.values() for s in items)
    return texts


def test_examples_are_not_training_sentences() -> None:
    train = _training_texts()
    for text in RELEVANT + NOT_RELEVANT:
        assert text.lower() not in train


@pytest.mark.parametrize("text", RELEVANT)
def test_conflict_sentences_are_relevant(gate: RelevanceGate, text: str) -> None:
    assert gate.relevant(text), (text, gate.score(text))


@pytest.mark.parametrize("text", NOT_RELEVANT)
def test_ordinary_news_is_not_relevant(gate: RelevanceGate, text: str) -> None:
    assert not gate.relevant(text), (text, gate.score(text))


def test_scores_separate_the_classes(gate: RelevanceGate) -> None:
    """A constant classifier fails this: every event sentence outscores every non-event."""
    assert min(map(gate.score, RELEVANT)) > max(map(gate.score, NOT_RELEVANT))


def test_no_conflict_cue_scores_zero(gate: RelevanceGate) -> None:
    assert gate.score("The museum opened a new wing for Roman coins on Monday.") == 0.0


def test_sport_article_context_raises_the_bar(gate: RelevanceGate) -> None:
    match_report = [
        "United beat City 2-1 in the league on Sunday.",
        "The striker scored twice in the second half.",
        "The keeper saved a penalty before the break.",
        "The winger fired a low shot past the defender to seal the win.",
    ]
    figurative = match_report[-1]
    assert domain_share(match_report) >= gate.domain_share
    assert gate.threshold_for(match_report) == gate.strict_threshold
    assert figurative not in gate.relevant_sentences(match_report)
    assert not gate.relevant(figurative, context=" ".join(match_report))
    news = [
        "Warplanes bombed the market in the town centre, killing nine people.",
        "Rescue teams searched the rubble for survivors.",
    ]
    assert gate.relevant_sentences(news) == [news[0]]
    assert gate.relevant_article(news) and not gate.relevant_article(match_report)


def test_war_report_with_a_line_on_prices_stays_ordinary(gate: RelevanceGate) -> None:
    report = [
        "Government warplanes struck two villages in the southern countryside on Monday.",
        "Rebels said they shelled an army post near the highway in response.",
        "The price of bread in the city's markets has doubled since the spring.",
        "Clashes between the two sides continued into the night, residents said.",
    ]
    assert domain_share(report) >= gate.domain_share
    assert gate.threshold_for(report) == gate.threshold
    assert len(gate.relevant_sentences(report)) >= 2


def test_features_are_stable() -> None:
    feats = features("Gunmen attacked a checkpoint in 2022.")
    assert "w:gunmen" in feats and "b:in_<year>" in feats and "R:violence+actor" in feats
    assert hash_features(feats) == hash_features(list(reversed(feats)))


def test_missing_model_names_the_fix(tmp_path: Path) -> None:
    with pytest.raises(ModelNotInstalledError, match="train_relevance.py"):
        RelevanceGate(model_path=tmp_path / "absent.npz")


def test_shipped_model_is_small() -> None:
    assert DEFAULT_MODEL_PATH.stat().st_size < 5 * 1024 * 1024


def test_shipped_data_has_no_third_party_sentences() -> None:
    """Halterman (2019) sentences are read at training time only, never shipped."""
    for path in DATA_DIR.iterdir():
        if path.suffix in {".yaml", ".jsonl", ".json"}:
            assert not re.search(r"APW_ENG|AFP_ENG|_input_hash", path.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_the_extractor_asks_the_gate_before_any_rule(nlp) -> None:
    """Ordinary news with war-like verbs yields no event once the gate stands before the
    rules; the same extractor without the gate still reads it as war, and a real report
    keeps its event either way."""
    import datetime as dt

    from frontlines.events import EventExtractor
    from frontlines.model import Article

    gated, open_door = EventExtractor(), EventExtractor(gate=False)

    def events(extractor: EventExtractor, text: str) -> list:
        article = Article.make(text=text, published=dt.date(2021, 3, 2))
        return extractor.extract(article, nlp(article.full_text), [])

    markets = ("Shares in the carmaker were hammered on Monday after a profit warning, and "
               "the currency hit a six-month low against the yen as traders fled to bonds.")
    football = ("The two rivals clash in the final on Saturday, and the home side fired three "
                "goals past the keeper.")
    strike = "Warplanes struck a market in the town on Monday, killing six civilians, medics said."
    assert events(gated, markets) == [] and events(gated, football) == []
    assert events(open_door, markets) or events(open_door, football)
    assert events(gated, strike) and events(open_door, strike)
