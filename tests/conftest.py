"""Shared fixtures. Tests that read ../shared/data skip with a reason when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("FRONTLINES_SHARED_DATA", REPO.parent / "shared" / "data"))


def blank_nlp():
    """``spacy.blank("en")`` with a sentencizer: the pipeline for model-free geoparse tests."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def knows_names(*names: str):
    """A recognizer ``knows`` test that knows just ``names`` (compared after folding)."""
    from frontlines.geoparse._lexicon import fold

    known = {fold(n) for n in names}
    return lambda name: fold(name) in known


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ../shared/data folder, or skip."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data not found at {SHARED_DATA} (set FRONTLINES_SHARED_DATA)")
    return SHARED_DATA


def shared_file(relative: str) -> Path:
    """A file under ../shared/data, or skip the calling test with a clear reason."""
    path = SHARED_DATA / relative
    if not path.exists():
        pytest.skip(f"{relative} not found under {SHARED_DATA}; this test needs the shared dev data")
    return path


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Never touch the user's data home from tests."""
    if "FRONTLINES_HOME" not in os.environ or os.environ.get("FRONTLINES_TEST_KEEP_HOME") != "1":
        monkeypatch.setenv("FRONTLINES_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(scope="session")
def nlp():
    """The real spaCy model (slow tests)."""
    from frontlines.nlp import load_model

    return load_model()


@pytest.fixture(scope="session")
def offline_gazetteer(tmp_path_factory) -> Path:
    """The offline default gazetteer index, built once per test session."""
    from frontlines.gazetteer import build_offline_default

    path = tmp_path_factory.mktemp("gazetteer") / "gazetteer.sqlite"
    build_offline_default(path)
    return path
