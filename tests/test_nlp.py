"""The shared spaCy pipeline: paragraph breaks always start a sentence."""

import pytest
import spacy

from frontlines.nlp import load_model, mark_paragraph_starts


def test_blank_line_starts_a_sentence_on_a_blank_pipeline():
    nlp = spacy.blank("en")
    doc = mark_paragraph_starts(nlp("Army takes hills near Ras Baalbek\n\nTroops advanced on "
                                    "Saturday."))
    troops = next(t for t in doc if t.text == "Troops")
    assert troops.is_sent_start is True
    assert doc[1].is_sent_start is not True  # "takes" stays inside the headline


def test_single_newline_is_not_a_paragraph():
    doc = mark_paragraph_starts(spacy.blank("en")("Army takes hills\nnear Ras Baalbek."))
    assert not any(t.is_sent_start for t in doc[1:])


@pytest.mark.slow
def test_headline_is_its_own_sentence_with_the_real_model():
    nlp = load_model()
    assert nlp.pipe_names.index("frontlines_paragraphs") < nlp.pipe_names.index("parser")
    doc = nlp("Syrian army takes Sha'bet Younes from ISIS\n\nThe Syrian Army, supported by "
              "Hezbollah, captured Sha'bet Younes in the Western Qalamoun on Saturday.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences[0] == "Syrian army takes Sha'bet Younes from ISIS"
    assert sentences[1].startswith("The Syrian Army")
