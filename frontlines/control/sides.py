"""Sides: which actors control territory together, and who is hostile to whom.

The mapping lives in ``frontlines/data/control/sides.yaml`` and can be extended with a user file
(``SideMap.load(extra=path)``, ``--sides FILE`` on the CLI; a side's ``hostile`` or
``allies`` list in that file replaces the bundled one): each side lists ACLED actor
names (``*`` at the end matches a prefix, so ``Military Forces of Lebanon*`` covers
``Military Forces of Lebanon (2016-)``), aliases used by control-map files, the country it
governs, the sides hostile to it, its allies and its plot colour.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from frontlines.errors import ConfigError

__all__ = ["SideMap", "fold"]

_CONTESTED = re.compile(r"^\s*contested\s*[:\-]?\s*(?P<a>.+?)\s+(?:vs\.?|versus|/)\s+(?P<b>.+)$",
                        re.IGNORECASE)


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2018\u2019'`\u02bf\u02be]", "", text.casefold())
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


@dataclass(frozen=True)
class SideMap:
    """Actor names -> sides, plus governments and hostility between sides."""

    exact: Mapping[str, str]
    prefixes: tuple[tuple[str, str], ...]
    governments: Mapping[str, str]  # ISO alpha-2 -> side
    hostile: Mapping[str, frozenset[str]]
    sides: tuple[str, ...] = field(default=())
    allies: Mapping[str, frozenset[str]] = field(default_factory=dict)
    colors: Mapping[str, str] = field(default_factory=dict)  # for plots (``color:``)

    @classmethod
    def load(cls, path: str | Path | None = None, *, extra: str | Path | None = None) -> SideMap:
        """The bundled ``sides.yaml`` (or ``path``), extended by ``extra`` if given."""
        docs = []
        if path is None:
            text = resources.files("frontlines").joinpath("data/control/sides.yaml").read_text(
                encoding="utf-8")
            docs.append(("sides.yaml", yaml.safe_load(text)))
        else:
            docs.append((str(path), _read_yaml(path)))
        if extra is not None:
            docs.append((str(extra), _read_yaml(extra)))
        return cls.from_dicts(docs)

    @classmethod
    def from_dicts(cls, docs: Iterable[tuple[str, Any]]) -> SideMap:
        exact: dict[str, str] = {}
        prefixes: list[tuple[str, str]] = []
        governments: dict[str, str] = {}
        hostile: dict[str, set[str]] = {}
        allies: dict[str, set[str]] = {}
        colors: dict[str, str] = {}
        order: list[str] = []
        for where, doc in docs:
            sides = (doc or {}).get("sides") if isinstance(doc, dict) else None
            if not isinstance(sides, dict):
                raise ConfigError(f"{where}: expected a mapping 'sides: {{name: {{actors: [...]}}}}'"
                                  "; see frontlines/data/control/sides.yaml for the format")
            for side, spec in sides.items():
                spec = spec or {}
                if not isinstance(spec, dict):
                    raise ConfigError(f"{where}: side {side!r} must be a mapping with 'actors', "
                                      "'aliases', 'government_of', 'hostile', 'allies' and "
                                      "'color' keys")
                if side not in order:
                    order.append(side)
                exact[fold(side)] = side
                for name in list(spec.get("actors") or []) + list(spec.get("aliases") or []):
                    name = str(name)
                    if name.endswith("*"):
                        prefixes.append((fold(name[:-1]), side))
                    else:
                        exact[fold(name)] = side
                if spec.get("government_of"):
                    for code in str(spec["government_of"]).split(","):
                        governments[code.strip().upper()] = side
                # a later file's list replaces an earlier one (so a user can end a hostility)
                if "hostile" in spec or side not in hostile:
                    hostile[side] = {str(h) for h in spec.get("hostile") or []}
                if "allies" in spec or side not in allies:
                    allies[side] = {str(a) for a in spec.get("allies") or []}
                if spec.get("color"):
                    colors[side] = str(spec["color"])
        # hostility is mutual
        for side, others in list(hostile.items()):
            for other in others:
                hostile.setdefault(other, set()).add(side)
        for side, others in list(allies.items()):
            for other in others:
                allies.setdefault(other, set()).add(side)
        clash = sorted((a, b) for a, bs in allies.items() for b in bs if b in hostile.get(a, ()))
        if clash:
            raise ConfigError(f"sides: {clash[0][0]!r} lists {clash[0][1]!r} both as an ally and "
                              "as hostile; keep it in one of 'allies' or 'hostile'")
        prefixes.sort(key=lambda p: -len(p[0]))
        return cls(exact=exact, prefixes=tuple(prefixes), governments=governments,
                   hostile={k: frozenset(v) for k, v in hostile.items()}, sides=tuple(order),
                   allies={k: frozenset(v) for k, v in allies.items()}, colors=colors)

    def side_of(self, actor: str) -> str:
        """The side of an actor name; an unmapped actor is its own side ('' for no actor)."""
        if not actor or not actor.strip():
            return ""
        key = fold(actor)
        if key in self.exact:
            return self.exact[key]
        bare = fold(re.sub(r"\([^)]*\)", "", actor))
        if bare in self.exact:
            return self.exact[bare]
        for prefix, side in self.prefixes:
            if key.startswith(prefix):
                return side
        return actor.strip()

    def contenders(self, label: str) -> tuple[str, ...]:
        """For a label like ``contested:HTS/al-Nusra vs ISIL``, the sides; () otherwise."""
        match = _CONTESTED.match(label)
        if not match:
            return ()
        return tuple(self.side_of(match.group(g)) for g in ("a", "b"))

    def government(self, country_code: str) -> str | None:
        return self.governments.get((country_code or "").upper())

    def is_hostile(self, side: str | None, to: str | None) -> bool:
        if not side or not to or side == to:
            return False
        return side in self.hostile.get(to, frozenset())

    def is_ally(self, side: str | None, of: str | None) -> bool:
        if not side or not of or side == of:
            return False
        return side in self.allies.get(of, frozenset())

    def is_state(self, side: str | None) -> bool:
        """Whether ``side`` is a country's government (``government_of``)."""
        return bool(side) and side in self.governments.values()


def _read_yaml(path: str | Path) -> Any:
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found; pass an existing YAML file") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc}); fix the syntax") from None
