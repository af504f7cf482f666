"""The word sets of the events stage, read once from ``frontlines/data/events/words.yaml``.

Each name below is a ``frozenset`` of lemmas (``ARMED_INTER``: of ACLED inter codes). They are
data, not code: extend the YAML file to teach the steps a new word.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from frontlines.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "events"
WORDS_FILE = DATA_DIR / "words.yaml"


def _load(path: Path = WORDS_FILE) -> dict[str, frozenset]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the events word sets ({exc}); reinstall "
                          "Frontlines or fix the file") from None
    bad = [k for k, v in raw.items() if not isinstance(v, list)]
    if bad:
        raise ConfigError(f"{path}: {', '.join(bad)} should be lists of words")
    return {key: frozenset(value) for key, value in raw.items()}


_WORDS = _load()

LOC_PREPS = _WORDS["loc_preps"]
NEAR_WORDS = _WORDS["near_words"]
ASSOC = _WORDS["assoc"]
LIGHT_VERBS = _WORDS["light_verbs"]
AIR_WORDS = _WORDS["air_words"]
ARMED_INTER = _WORDS["armed_inter"]
ERV_TYPES = _WORDS["erv_types"]
SECOND_FROM_SENTENCE = _WORDS["second_from_sentence"]
FIRE_VERBS = _WORDS["fire_verbs"]
TACTIC_VERBS = _WORDS["tactic_verbs"]
RAISING = _WORDS["raising"]
UNIT_WORDS = _WORDS["unit_words"]
BLAST_WORDS = _WORDS["blast_words"]
GROUP_MEMBERS = _WORDS["group_members"]
UNKNOWN_WORDS = _WORDS["unknown_words"]
CIVIL_PROPERTY = _WORDS["civil_property"]
CIVIL_TARGETS = _WORDS["civil_targets"]
CROWD_PEOPLE = _WORDS["crowd_people"]
UNARMED_FIGHT = _WORDS["unarmed_fight"]
CROWD_CONTROL = _WORDS["crowd_control"]
MOVEMENT_NOUNS = _WORDS["movement_nouns"]
DISRUPTED_WEAPONS = _WORDS["disrupted_weapons"]
THWART_VERBS = _WORDS["thwart_verbs"]
EXCHANGE_VERBS = _WORDS["exchange_verbs"]
CLASH_VERBS = _WORDS["clash_verbs"]
TANK_CONTENTS = _WORDS["tank_contents"]
CLEARING = _WORDS["clearing"]
GOING_ON = _WORDS["going_on"]
DENIED_OBJECTS = _WORDS["denied_objects"]
VACATE = _WORDS["vacate"]
ANAPHORS = _WORDS["anaphors"]
NOT_PEOPLE = _WORDS["not_people"]
PLACE_NOUNS = _WORDS["place_nouns"]
VACATED = _WORDS["vacated"]
LABOUR_STRIKE = _WORDS["labour_strike"]
LOSS_VERBS = _WORDS["loss_verbs"]
ASSAULT_NOUNS = _WORDS["assault_nouns"]
ADVANCE_VERBS = _WORDS["advance_verbs"]
GROUND_PREPS = _WORDS["ground_preps"]
CONTROL_VERBS = _WORDS["control_verbs"]
TRIED_VERBS = _WORDS["tried_verbs"]
