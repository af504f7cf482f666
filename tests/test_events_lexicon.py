"""Trigger lexicon and number parsing (spacy.blank, no model)."""

from __future__ import annotations

import spacy
from hypothesis import given
from hypothesis import strategies as st

from frontlines.events.lexicon import load_lexicon, parse_number


def test_number_words():
    assert parse_number("three") == 3
    assert parse_number("twenty-five") == 25
    assert parse_number("1,200") == 1200
    assert parse_number("a dozen") == 12
    assert parse_number("one hundred and twenty") == 120
    assert parse_number("several") is None


@given(st.integers(min_value=0, max_value=999_999))
def test_digits_round_trip(n):
    assert parse_number(f"{n:,}") == n


def test_trigger_phrases_and_pre_check():
    lex = load_lexicon()
    nlp = spacy.blank("en")
    doc = nlp("a drone strike hit the town and an air strike followed")
    hits = lex.match(doc[:])
    assert [(doc[h.start:h.end].text, h.spec.type) for h in hits] == [
        ("drone strike", "Air/drone strike"), ("hit", "@violence"), ("air strike", "Air/drone strike")]
    assert lex.has_trigger(nlp("a suicide bomber")) and not lex.has_trigger(nlp("the weather is fine"))


def test_every_trigger_type_is_in_the_codebook_or_a_rule():
    from frontlines.events import load_codebook

    sub_types = set(load_codebook().sub_event_types)
    rules = {"@territory", "@violence", "@protest", "@outcome"}
    assert {s.type for s in load_lexicon().specs} <= sub_types | rules
    assert load_lexicon().vague["dozens"] == 12 and load_lexicon().vague["hundreds"] == 100
