"""The public surface: ``frontlines.__all__`` matches what the package exports."""

import importlib

import pytest

import frontlines


@pytest.mark.parametrize("name", frontlines.__all__)
def test_every_name_in_all_imports(name):
    assert getattr(frontlines, name) is not None


def test_no_public_name_left_out_of_all():
    public = {n for n in dir(frontlines) if not n.startswith("_")
              and type(getattr(frontlines, n)).__name__ != "module"}
    assert public - set(frontlines.__all__) == set()


def test_lazy_names_are_the_modules_own():
    assert frontlines.Frontlines is importlib.import_module("frontlines.pipeline").Frontlines
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        frontlines.Nope  # noqa: B018


def test_spacy_finds_our_components_through_entry_points():
    import subprocess
    import sys

    # A fresh interpreter that never imports frontlines itself.
    code = ("import spacy; nlp = spacy.blank('en'); nlp.add_pipe('frontlines_toponyms'); "
            "print(nlp.pipe_names)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "frontlines_toponyms" in proc.stdout
