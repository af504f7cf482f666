"""The event rule registry, one family at a time, on hand-built parses (no spaCy model).

Each test builds a tiny ``Doc`` with the words, lemmas, tags and dependencies a parser would
give, wraps the trigger in a ``Candidate`` with hand-picked sides, and asks the rules.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from spacy.tokens import Doc
from spacy.vocab import Vocab

from frontlines.events.actors import ActorDictionary, ActorEntry
from frontlines.events.codebook import load_codebook
from frontlines.events.lexicon import TriggerHit, TriggerSpec, load_lexicon
from frontlines.events.records import Party, Roles
from frontlines.events.rules import FAMILIES, NO_EVENT, Candidate, decide, rules
from frontlines.events.rules.remote import air
from frontlines.events.rules.strategic import exchange, not_ground

ARMY = Party(ActorEntry(name="Military Forces of Syria", inter=1, country="SY", state="military"),
             "the army")
ISIS = Party(ActorEntry(name="Islamic State (Syria)", inter=2, country="SY"), "ISIS")
MILITIA = Party(ActorEntry(name="Unidentified Armed Group (Syria)", inter=3, country="SY"),
                "gunmen")
CIVILIANS = Party(ActorEntry(name="Civilians (Syria)", inter=7, country="SY"), "villagers")
PROTESTERS = Party(ActorEntry(name="Protesters (Syria)", inter=6, country="SY"), "protesters")
RIOTERS = Party(ActorEntry(name="Rioters (Syria)", inter=5, country="SY"), "rioters")


@pytest.fixture(scope="module")
def context() -> SimpleNamespace:
    return SimpleNamespace(codebook=load_codebook(), lex=load_lexicon(),
                           actors=ActorDictionary.default(), matches=[], toponyms=[],
                           air_context=False)


def parse(words: list[str], *, lemmas: list[str], pos: list[str], deps: list[str],
          heads: list[int]) -> Doc:
    """A ``Doc`` as a parser would leave it (``heads``: absolute indices)."""
    return Doc(Vocab(), words=words, lemmas=lemmas, pos=pos, deps=deps, heads=heads)


def candidate(doc: Doc, trigger: int, kind: str, *, actor1: Party | None = None,
              actor2: Party | None = None) -> Candidate:
    lemma = doc[trigger].lemma_
    hit = TriggerHit(trigger, trigger + 1, trigger, TriggerSpec((lemma,), kind, 5))
    return Candidate(kind=kind, trigger=doc[trigger], primary=hit, sentence=doc[:],
                     actor1=actor1, actor2=actor2)


def simple(subject: str, verb: str, lemma: str, obj: str) -> Doc:
    """'<subject> <verb> <obj> .' with the usual dependencies."""
    return parse([subject, verb, obj, "."], lemmas=[subject.lower(), lemma, obj.lower(), "."],
                 pos=["PROPN", "VERB", "PROPN", "PUNCT"],
                 deps=["nsubj", "ROOT", "dobj", "punct"], heads=[1, 1, 1, 1])


def roles_of(doc: Doc, **kw: list[int]) -> Roles:
    roles = Roles()
    for name, idx in kw.items():
        getattr(roles, name).extend(doc[i] for i in idx)
    return roles


def test_every_family_registers_rules() -> None:
    assert {entry.family for entry in rules()} == set(FAMILIES)
    orders = [entry.order for entry in rules()]
    assert orders == sorted(orders)


# -- territory ------------------------------------------------------------------------------
def test_territory_state_force_regains(context) -> None:
    doc = simple("Troops", "captured", "capture", "Qara")
    cand = candidate(doc, 1, "@territory", actor1=ARMY, actor2=ISIS)
    assert decide(cand, roles_of(doc, patient=[2]), context) == "Government regains territory"


def test_territory_non_state_overtakes(context) -> None:
    doc = simple("ISIS", "seized", "seize", "Qara")
    cand = candidate(doc, 1, "@territory", actor1=ISIS)
    assert decide(cand, roles_of(doc, patient=[2]), context) == \
        "Non-state actor overtakes territory"


def test_territory_taken_without_fight_is_transfer(context) -> None:
    doc = parse(["Troops", "entered", "Qara", "without", "a", "fight"],
                lemmas=["troop", "enter", "qara", "without", "a", "fight"],
                pos=["NOUN", "VERB", "PROPN", "ADP", "DET", "NOUN"],
                deps=["nsubj", "ROOT", "dobj", "prep", "det", "pobj"], heads=[1, 1, 1, 1, 5, 3])
    cand = candidate(doc, 1, "@territory", actor1=ARMY)
    assert decide(cand, roles_of(doc, patient=[2]), context) == \
        "Non-violent transfer of territory"


def test_territory_take_with_nothing_taken_is_no_event(context) -> None:
    doc = simple("Troops", "took", "take", "part")
    cand = candidate(doc, 1, "@territory", actor1=ARMY)
    assert decide(cand, Roles(), context) is None


def test_territory_people_seized_by_state_are_arrests(context) -> None:
    doc = parse(["Police", "seized", "three", "fighters"],
                lemmas=["police", "seize", "three", "fighter"],
                pos=["NOUN", "VERB", "NUM", "NOUN"],
                deps=["nsubj", "ROOT", "nummod", "dobj"], heads=[1, 1, 3, 1])
    assert decide(candidate(doc, 1, "@territory", actor1=ARMY),
                  roles_of(doc, patient=[3]), context) == "Arrests"
    assert decide(candidate(doc, 1, "@territory", actor1=ISIS),
                  roles_of(doc, patient=[3]), context) == "Abduction/forced disappearance"


# -- battles --------------------------------------------------------------------------------
def test_battles_violence_on_armed_side_is_clash(context) -> None:
    doc = simple("ISIS", "attacked", "attack", "troops")
    cand = candidate(doc, 1, "@violence", actor1=ISIS, actor2=ARMY)
    assert decide(cand, roles_of(doc, agent=[0], patient=[2]), context) == "Armed clash"


def test_battles_dead_without_sides_is_no_event(context) -> None:
    doc = simple("Three", "killed", "kill", "people")
    cand = candidate(doc, 1, "@outcome")
    assert decide(cand, Roles(), context) is None


def test_battles_named_clash_passes(context) -> None:
    doc = simple("ISIS", "clashed", "clash", "troops")
    cand = candidate(doc, 1, "Armed clash", actor1=ISIS, actor2=ARMY)
    assert decide(cand, Roles(), context) == "Armed clash"


# -- remote violence ------------------------------------------------------------------------
def test_remote_warplanes_make_an_air_strike(context) -> None:
    doc = simple("Warplanes", "hit", "hit", "Qara")
    roles = roles_of(doc, agent=[0])
    assert air(context, roles, None, doc[1])
    assert decide(candidate(doc, 1, "@violence"), roles, context) == "Air/drone strike"


def test_remote_shelling_keeps_its_type(context) -> None:
    doc = simple("Troops", "shelled", "shell", "Qara")
    cand = candidate(doc, 1, "Shelling/artillery/missile attack", actor1=ARMY)
    assert decide(cand, roles_of(doc, agent=[0]), context) == \
        "Shelling/artillery/missile attack"


# -- violence against civilians ------------------------------------------------------------
def test_civilians_targeted_is_attack(context) -> None:
    doc = simple("Gunmen", "killed", "kill", "villagers")
    cand = candidate(doc, 1, "@violence", actor1=MILITIA, actor2=CIVILIANS)
    assert decide(cand, roles_of(doc, victims=[2]), context) == "Attack"


def test_civilians_one_sided_militia_is_attack(context) -> None:
    doc = simple("Gunmen", "attacked", "attack", "Qara")
    cand = candidate(doc, 1, "@violence", actor1=MILITIA)
    assert decide(cand, Roles(), context) == "Attack"


def test_civilians_state_violence_without_target_is_clash(context) -> None:
    doc = simple("Troops", "attacked", "attack", "Qara")
    cand = candidate(doc, 1, "@violence", actor1=ARMY)
    assert decide(cand, Roles(), context) == "Armed clash"


# -- protests and riots ---------------------------------------------------------------------
def protest_doc(*words: str) -> Doc:
    n = len(words)
    return parse(list(words), lemmas=[w.lower() for w in words], pos=["NOUN"] * n,
                 deps=["ROOT"] + ["dep"] * (n - 1), heads=[0] * n)


def test_protests_peaceful_by_default(context) -> None:
    doc = protest_doc("Residents", "protest")
    assert decide(candidate(doc, 1, "@protest"), Roles(), context) == "Peaceful protest"


def tagged(spec: str) -> Doc:
    """A parse written as "word/lemma/POS/dep/head ..." (head: absolute index)."""
    rows = [t.split("/") for t in spec.split()]
    return parse([r[0] for r in rows], lemmas=[r[1] for r in rows], pos=[r[2] for r in rows],
                 deps=[r[3] for r in rows], heads=[int(r[4]) for r in rows])


def test_protests_dispersed_is_intervention(context) -> None:
    # "Police dispersed the farmers' march ."
    doc = tagged("Police/police/NOUN/nsubj/1 dispersed/disperse/VERB/ROOT/1 "
                 "march/march/NOUN/dobj/1 ././PUNCT/punct/1")
    assert decide(candidate(doc, 2, "@protest"), Roles(), context) == "Protest with intervention"


def test_protests_about_arrests_stay_peaceful(context) -> None:
    # "Mothers rallied demanding the release of detained sons ." : the arrests are the grievance
    doc = tagged("Mothers/mother/NOUN/nsubj/1 rallied/rally/VERB/ROOT/1 "
                 "demanding/demand/VERB/advcl/1 release/release/NOUN/dobj/2 of/of/ADP/prep/3 "
                 "detained/detain/VERB/amod/6 sons/son/NOUN/pobj/4 ././PUNCT/punct/1")
    assert decide(candidate(doc, 1, "@protest"), Roles(), context) == "Peaceful protest"
    # "Teachers protested against the arrest of colleagues ."
    doc = tagged("Teachers/teacher/NOUN/nsubj/1 protested/protest/VERB/ROOT/1 "
                 "against/against/ADP/prep/1 arrest/arrest/NOUN/pobj/2 ././PUNCT/punct/1")
    assert decide(candidate(doc, 1, "@protest"), Roles(), context) == "Peaceful protest"


def test_protests_blocking_a_road_stays_peaceful(context) -> None:
    # "Drivers blocked the ring road , preventing buses from passing ."
    doc = tagged("Drivers/driver/NOUN/nsubj/1 blocked/block/VERB/ROOT/1 road/road/NOUN/dobj/1 "
                 ",/,/PUNCT/punct/1 preventing/prevent/VERB/advcl/1 buses/bus/NOUN/dobj/4 "
                 "././PUNCT/punct/1")
    assert decide(candidate(doc, 1, "@protest"), Roles(), context) == "Peaceful protest"


def test_protests_stones_make_a_violent_demonstration(context) -> None:
    doc = protest_doc("protesters", "riot", "protest")
    assert decide(candidate(doc, 2, "@protest"), Roles(), context) == "Violent demonstration"


def test_protests_live_fire_is_excessive_force(context) -> None:
    # "Guards killed two marchers at the protest ."
    doc = tagged("Guards/guard/NOUN/nsubj/1 killed/kill/VERB/ROOT/1 marchers/marcher/NOUN/dobj/1 "
                 "at/at/ADP/prep/1 protest/protest/NOUN/pobj/3 ././PUNCT/punct/1")
    assert decide(candidate(doc, 4, "@protest"), Roles(), context) == \
        "Excessive force against protesters"


def test_protests_over_a_killing_are_no_excessive_force(context) -> None:
    # "Hundreds protested over the killing of a shepherd ." / "... in solidarity with
    # families of killed fishermen"
    doc = tagged("Hundreds/hundred/NOUN/nsubj/1 protested/protest/VERB/ROOT/1 "
                 "over/over/ADP/prep/1 killing/killing/NOUN/pobj/2 of/of/ADP/prep/3 "
                 "shepherd/shepherd/NOUN/pobj/4 ././PUNCT/punct/1")
    assert decide(candidate(doc, 1, "@protest"), Roles(), context) == "Peaceful protest"
    doc = tagged("Families/family/NOUN/nsubj/1 marched/march/VERB/ROOT/1 "
                 "in/in/ADP/prep/1 solidarity/solidarity/NOUN/pobj/2 with/with/ADP/prep/3 "
                 "fishermen/fisherman/NOUN/pobj/4 shot/shoot/VERB/acl/5 ././PUNCT/punct/1")
    assert decide(candidate(doc, 1, "@protest"), Roles(), context) == "Peaceful protest"


def test_protests_violence_on_protesters_is_excessive_force(context) -> None:
    doc = simple("Police", "shot", "shoot", "protesters")
    cand = candidate(doc, 1, "@violence", actor1=ARMY, actor2=PROTESTERS)
    assert decide(cand, Roles(), context) == "Excessive force against protesters"


def test_riots_crowd_on_civilians_is_mob_violence(context) -> None:
    doc = simple("Rioters", "attacked", "attack", "villagers")
    cand = candidate(doc, 1, "@violence", actor1=RIOTERS, actor2=CIVILIANS)
    assert decide(cand, Roles(), context) == "Mob violence"


def test_riots_on_troops_without_a_demonstration_are_mob_violence(context) -> None:
    # "Youths stoned troops who entered the camp ." : no demonstration told
    doc = tagged("Youths/youth/NOUN/nsubj/1 stoned/stone/VERB/ROOT/1 troops/troop/NOUN/dobj/1 "
                 "who/who/PRON/nsubj/4 entered/enter/VERB/relcl/2 camp/camp/NOUN/dobj/4 "
                 "././PUNCT/punct/1")
    cand = candidate(doc, 1, "@violence", actor1=RIOTERS, actor2=ARMY)
    assert decide(cand, Roles(), context) == "Mob violence"
    # "Rioters attacked troops during a march ." : a demonstration turned violent
    doc = tagged("Rioters/rioter/NOUN/nsubj/1 attacked/attack/VERB/ROOT/1 troops/troop/NOUN/dobj/1 "
                 "during/during/ADP/prep/1 march/march/NOUN/pobj/3 ././PUNCT/punct/1")
    cand = candidate(doc, 1, "@violence", actor1=RIOTERS, actor2=ARMY)
    assert decide(cand, Roles(), context) == "Violent demonstration"


def test_riots_clash_with_a_crowd(context) -> None:
    doc = simple("Rioters", "clashed", "clash", "police")
    assert decide(candidate(doc, 1, "Armed clash", actor1=RIOTERS), Roles(), context) == \
        "Mob violence"
    assert decide(candidate(doc, 1, "Armed clash", actor1=ARMY, actor2=RIOTERS), Roles(),
                  context) == "Mob violence"
    # "Demonstrators clashed with police ."
    doc = tagged("Demonstrators/demonstrator/NOUN/nsubj/1 clashed/clash/VERB/ROOT/1 "
                 "with/with/ADP/prep/1 police/police/NOUN/pobj/2 ././PUNCT/punct/1")
    assert decide(candidate(doc, 1, "Armed clash", actor1=ARMY, actor2=PROTESTERS), Roles(),
                  context) == "Violent demonstration"


def test_settlers_are_rioters(context) -> None:
    kind = context.actors.generic_kind(["settler"])
    assert kind is not None and kind.inter == 5


# -- strategic developments -----------------------------------------------------------------
def test_strategic_trigger_names_the_development(context) -> None:
    doc = simple("Sides", "agreed", "agree", "truce")
    assert decide(candidate(doc, 1, "Agreement"), Roles(), context) == "Agreement"
    assert decide(candidate(doc, 1, "Arrests", actor1=ARMY), Roles(), context) == "Arrests"


def test_strategic_bodies_handed_over_are_not_ground(context) -> None:
    doc = parse(["ISIS", "handed", "over", "bodies", "in", "exchange"],
                lemmas=["isis", "hand", "over", "body", "in", "exchange"],
                pos=["PROPN", "VERB", "ADP", "NOUN", "ADP", "NOUN"],
                deps=["nsubj", "ROOT", "prt", "dobj", "prep", "pobj"], heads=[1, 1, 1, 1, 1, 4])
    assert not_ground(context, roles_of(doc, patient=[3]))
    assert exchange(context, doc[:])


def test_no_event_is_falsy() -> None:
    assert NO_EVENT == "" and not NO_EVENT


# -- assemble: one crowd incident per paragraph ---------------------------------------------
def _draft(doc: Doc, sub: str, trig: int, *, actor1: Party | None = None,
           actor2: Party | None = None, fatalities: int = 0):
    from frontlines.events.records import Draft
    return Draft(sub_event_type=sub, trigger=doc[trig], sentence=doc[:], actor1=actor1,
                 actor2=actor2, fatalities=fatalities)


def _one_paragraph(context) -> SimpleNamespace:
    return SimpleNamespace(codebook=context.codebook, paragraph=lambda char: 0)


def test_crowd_incident_absorbs_the_arrests_told_with_it(context) -> None:
    from frontlines.events.assemble import one_crowd_incident
    # "Nurses staged a sit-in. Police broke it up and detained four."
    doc = protest_doc("Nurses", "sit-in", "police", "detained", "four")
    protest = _draft(doc, "Peaceful protest", 1, actor1=PROTESTERS)
    arrests = _draft(doc, "Arrests", 3, actor1=ARMY, actor2=PROTESTERS)
    out = one_crowd_incident(_one_paragraph(context), [protest, arrests])
    assert out == [protest]
    assert protest.sub_event_type == "Protest with intervention" and protest.actor2 == ARMY


def test_crowd_incident_keeps_its_violence_and_the_dead(context) -> None:
    from frontlines.events.assemble import one_crowd_incident
    # "Youths stoned police during a march; police shot dead one man."
    doc = protest_doc("Youths", "stoned", "police", "shot", "man")
    riot = _draft(doc, "Violent demonstration", 1, actor1=RIOTERS, actor2=ARMY)
    force = _draft(doc, "Excessive force against protesters", 3, actor1=ARMY,
                   actor2=PROTESTERS, fatalities=1)
    clash = _draft(doc, "Armed clash", 3, actor1=ARMY, actor2=RIOTERS)
    out = one_crowd_incident(_one_paragraph(context), [riot, force, clash])
    assert out == [riot] and riot.sub_event_type == "Violent demonstration"
    assert riot.fatalities == 1


def test_crowd_incident_leaves_other_violence_alone(context) -> None:
    from frontlines.events.assemble import one_crowd_incident
    # "Farmers marched on the ministry. Rebels shelled an army post nearby."
    doc = protest_doc("Farmers", "marched", "Rebels", "shelled", "post")
    march = _draft(doc, "Peaceful protest", 1, actor1=PROTESTERS)
    shelling = _draft(doc, "Shelling/artillery/missile attack", 3, actor1=ISIS, actor2=ARMY)
    clash = _draft(doc, "Armed clash", 3, actor1=ISIS, actor2=ARMY)
    out = one_crowd_incident(_one_paragraph(context), [march, shelling, clash])
    assert out == [march, shelling, clash] and march.sub_event_type == "Peaceful protest"


def test_detentions_by_armed_groups_are_abductions(context) -> None:
    doc = simple("Rebels", "detained", "detain", "traders")
    cand = candidate(doc, 1, "Arrests", actor1=ISIS, actor2=CIVILIANS)
    assert decide(cand, Roles(), context) == "Abduction/forced disappearance"
    cand = candidate(doc, 1, "Arrests", actor1=MILITIA, actor2=CIVILIANS)
    assert decide(cand, Roles(), context) == "Abduction/forced disappearance"
    cand = candidate(doc, 1, "Arrests", actor1=ARMY, actor2=CIVILIANS)
    assert decide(cand, Roles(), context) == "Arrests"


def test_fire_at_civilian_things_is_an_attack(context) -> None:
    # "Border guards opened fire towards farmland ."
    doc = tagged("Guards/guard/NOUN/nsubj/1 fired/fire/VERB/ROOT/1 towards/towards/ADP/prep/1 "
                 "farmland/farmland/NOUN/pobj/2 ././PUNCT/punct/1")
    cand = candidate(doc, 1, "@violence", actor1=ARMY)
    roles = Roles(places=[(doc[3], "towards")])
    assert decide(cand, roles, context) == "Attack"
    # "Troops beat a shepherd ."
    doc = simple("Troops", "beat", "beat", "shepherd")
    assert decide(candidate(doc, 1, "@violence", actor1=ARMY), roles_of(doc, patient=[2]),
                  context) == "Attack"
    # "Troops fired at rebel positions ." stays a clash
    doc = tagged("Troops/troop/NOUN/nsubj/1 fired/fire/VERB/ROOT/1 at/at/ADP/prep/1 "
                 "positions/position/NOUN/pobj/2 ././PUNCT/punct/1")
    assert decide(candidate(doc, 1, "@violence", actor1=ARMY),
                  Roles(places=[(doc[3], "at")]), context) == "Armed clash"


def test_crowd_incident_absorbs_force_with_no_armed_sides_of_its_own(context) -> None:
    from frontlines.events.assemble import one_crowd_incident
    # "Youths burned tyres on the bypass during a march. Clashes erupted."
    doc = protest_doc("Youths", "burned", "march", "clashes", "erupted")
    riot = _draft(doc, "Violent demonstration", 1, actor1=RIOTERS)
    clash = _draft(doc, "Armed clash", 3, actor1=MILITIA)
    fire = _draft(doc, "Attack", 3, actor1=ARMY, actor2=CIVILIANS)
    assert one_crowd_incident(_one_paragraph(context), [riot, clash, fire]) == [riot]


def test_thwarted_attack_is_fighting_unless_a_weapon_was_stopped(context) -> None:
    # "Troops thwarted an infiltration attempt ."
    doc = tagged("Troops/troop/NOUN/nsubj/1 thwarted/thwart/VERB/ROOT/1 "
                 "an/an/DET/det/4 infiltration/infiltration/NOUN/compound/4 "
                 "attempt/attempt/NOUN/dobj/1 ././PUNCT/punct/1")
    cand = candidate(doc, 1, "Disrupted weapons use", actor1=ARMY, actor2=ISIS)
    assert decide(cand, roles_of(doc, patient=[4]), context) == "Armed clash"
    # "Police foiled a car bomb ."
    doc = tagged("Police/police/NOUN/nsubj/1 foiled/foil/VERB/ROOT/1 a/a/DET/det/4 "
                 "car/car/NOUN/compound/4 bomb/bomb/NOUN/dobj/1 ././PUNCT/punct/1")
    cand = candidate(doc, 1, "Disrupted weapons use", actor1=ARMY)
    assert decide(cand, roles_of(doc, patient=[4]), context) == "Disrupted weapons use"


def test_exchanged_shelling_is_a_clash(context) -> None:
    # "The two sides exchanged artillery shelling ."
    doc = tagged("sides/side/NOUN/nsubj/1 exchanged/exchange/VERB/ROOT/1 "
                 "artillery/artillery/NOUN/compound/3 shelling/shelling/NOUN/dobj/1 "
                 "././PUNCT/punct/1")
    cand = candidate(doc, 3, "Shelling/artillery/missile attack", actor1=ARMY, actor2=ISIS)
    assert decide(cand, Roles(), context) == "Armed clash"
    # "Rebels shelled and then clashed with troops ."
    doc = tagged("Rebels/rebel/NOUN/nsubj/1 shelled/shell/VERB/ROOT/1 and/and/CCONJ/cc/1 "
                 "clashed/clash/VERB/conj/1 with/with/ADP/prep/3 troops/troop/NOUN/pobj/4 "
                 "././PUNCT/punct/1")
    cand = candidate(doc, 1, "Shelling/artillery/missile attack", actor1=ISIS, actor2=ARMY)
    assert decide(cand, Roles(), context) == "Armed clash"
    # "Rebels shelled the base ." stays shelling
    doc = simple("Rebels", "shelled", "shell", "base")
    cand = candidate(doc, 1, "Shelling/artillery/missile attack", actor1=ISIS, actor2=ARMY)
    assert decide(cand, Roles(), context) == "Shelling/artillery/missile attack"


def test_the_month_march_is_no_protest(context) -> None:
    # "On 8 March , farmers marched ." : the date is no protest, the verb is
    doc = tagged("On/on/ADP/prep/5 8/8/NUM/nummod/2 March/March/PROPN/pobj/0 ,/,/PUNCT/punct/5 "
                 "farmers/farmer/NOUN/nsubj/5 marched/march/VERB/ROOT/5 ././PUNCT/punct/5")
    heads = [doc[h.head].text for h in context.lex.match(doc[:]) if h.spec.type == "@protest"]
    assert heads == ["marched"]


def test_a_date_in_march_is_no_demonstration(context) -> None:
    # "On 4 March rioters clashed with troops ." : crowd violence, no demonstration
    doc = tagged("On/on/ADP/prep/4 4/4/NUM/nummod/2 March/march/PROPN/pobj/0 "
                 "rioters/rioter/NOUN/nsubj/4 clashed/clash/VERB/ROOT/4 with/with/ADP/prep/4 "
                 "troops/troop/NOUN/pobj/5 ././PUNCT/punct/4")
    assert decide(candidate(doc, 4, "Armed clash", actor1=RIOTERS, actor2=ARMY), Roles(),
                  context) == "Mob violence"


def test_a_patrol_taking_place_is_movement_not_ground(context) -> None:
    # "A convoy took place near the dam ."
    doc = tagged("A/a/DET/det/1 convoy/convoy/NOUN/nsubj/2 took/take/VERB/ROOT/2 "
                 "place/place/NOUN/dobj/2 near/near/ADP/prep/2 dam/dam/NOUN/pobj/4 "
                 "././PUNCT/punct/2")
    cand = candidate(doc, 2, "@territory", actor1=ARMY)
    assert decide(cand, roles_of(doc, patient=[3]), context) == "Change to group/activity"
    # "The vote took place in the capital ."
    doc = tagged("The/the/DET/det/1 vote/vote/NOUN/nsubj/2 took/take/VERB/ROOT/2 "
                 "place/place/NOUN/dobj/2 in/in/ADP/prep/2 capital/capital/NOUN/pobj/4 "
                 "././PUNCT/punct/2")
    assert decide(candidate(doc, 2, "@territory", actor1=ARMY), roles_of(doc, patient=[3]),
                  context) is None


def test_a_capture_keeps_the_fight_that_won_it() -> None:
    from frontlines.events.assemble import capture_with_its_fight
    # "Troops clashed with ISIS and took control of the ridge; rebels shelled a base."
    doc = protest_doc("Troops", "clashed", "took", "rebels", "shelled")
    clash = _draft(doc, "Armed clash", 1, actor1=ARMY, actor2=ISIS, fatalities=4)
    take = _draft(doc, "Government regains territory", 2, actor1=ARMY)
    other = _draft(doc, "Armed clash", 4, actor1=MILITIA, actor2=CIVILIANS)
    assert capture_with_its_fight([clash, take, other]) == [take, other]
    assert take.fatalities == 4 and take.actor2 == ISIS


def test_men_of_a_state_unit_are_an_armed_side(context) -> None:
    for words in (["division member"], ["regime element"], ["brigade commander"]):
        kind = context.actors.generic_kind(words)
        assert kind is not None and kind.kind == "military"


def test_stun_grenades_are_no_grenade_attack(context) -> None:
    # "Police fired stun grenades ."
    doc = tagged("Police/police/NOUN/nsubj/1 fired/fire/VERB/ROOT/1 stun/stun/NOUN/compound/3 "
                 "grenades/grenade/NOUN/dobj/1 ././PUNCT/punct/1")
    assert decide(candidate(doc, 3, "Grenade", actor1=ARMY), Roles(), context) is None
    # "Gunmen threw a grenade ."
    doc = simple("Gunmen", "threw", "throw", "grenade")
    assert decide(candidate(doc, 2, "Grenade", actor1=MILITIA), Roles(), context) == "Grenade"


def test_a_fight_told_twice_is_one_event(context) -> None:
    from frontlines.events.assemble import one_fight_told_twice
    # "Rebels attacked the army at dawn. The army repelled the attack, killing two."
    doc = protest_doc("Rebels", "attacked", "army", "repelled", "attack")
    first = _draft(doc, "Armed clash", 1, actor1=ISIS, actor2=ARMY)
    again = _draft(doc, "Armed clash", 3, actor1=ARMY, fatalities=2)
    other = _draft(doc, "Attack", 3, actor1=MILITIA, actor2=CIVILIANS)
    ctx = _one_paragraph(context)
    assert one_fight_told_twice(ctx, [first, again, other]) == [first, other]
    assert first.fatalities == 2


def test_mortars_as_a_clash_weapon_are_the_clash(context) -> None:
    # "Clashes with rifles and mortars erupted ."
    doc = tagged("Clashes/clash/NOUN/nsubj/5 with/with/ADP/prep/0 rifles/rifle/NOUN/pobj/1 "
                 "and/and/CCONJ/cc/2 mortars/mortar/NOUN/conj/2 erupted/erupt/VERB/ROOT/5 "
                 "././PUNCT/punct/5")
    cand = candidate(doc, 4, "Shelling/artillery/missile attack", actor1=ARMY, actor2=ISIS)
    assert decide(cand, Roles(), context) == "Armed clash"


def test_clashes_with_unarmed_people_are_mob_violence(context) -> None:
    # "Clashes erupted between supporters of two mayors ."
    doc = tagged("Clashes/clash/NOUN/nsubj/1 erupted/erupt/VERB/ROOT/1 "
                 "between/between/ADP/prep/1 supporters/supporter/NOUN/pobj/2 "
                 "././PUNCT/punct/1")
    assert decide(candidate(doc, 0, "Armed clash"), roles_of(doc, agent=[3]), context) == \
        "Mob violence"
    # "Physical clashes erupted with guards ."
    doc = tagged("Physical/physical/ADJ/amod/1 clashes/clash/NOUN/nsubj/2 "
                 "erupted/erupt/VERB/ROOT/2 ././PUNCT/punct/2")
    assert decide(candidate(doc, 1, "Armed clash", actor1=ARMY), Roles(), context) == \
        "Mob violence"
    # "Troops clashed with rebels ." stays an armed clash
    doc = simple("Troops", "clashed", "clash", "rebels")
    assert decide(candidate(doc, 1, "Armed clash", actor1=ARMY, actor2=ISIS),
                  roles_of(doc, agent=[0], opponent=[2]), context) == "Armed clash"


# -- who takes the ground (ACLED: the taker decides, not the verb) ---------------------------
TURKEY = Party(ActorEntry(name="Military Forces of Turkey", inter=1, country="TR", state="military"),
               "Turkish troops")
KURDS = Party(ActorEntry(name="Kurdish Militia", inter=2, country="SY"), "the militia")


def test_foreign_army_taking_ground_from_a_local_group_overtakes(context) -> None:
    doc = simple("Troops", "seized", "seize", "Darbas")
    cand = candidate(doc, 1, "@territory", actor1=TURKEY, actor2=KURDS)
    assert decide(cand, roles_of(doc, patient=[2]), context) == \
        "Non-state actor overtakes territory"


def test_home_army_regaining_ground_even_when_placed_abroad(context) -> None:
    doc = simple("Troops", "retook", "retake", "Darbas")
    cand = Candidate(**{**candidate(doc, 1, "@territory", actor1=ARMY, actor2=KURDS).__dict__,
                        "country": "KE"})
    assert decide(cand, roles_of(doc, patient=[2]), context) == "Government regains territory"


def test_a_named_group_the_dictionary_lacks_overtakes(context) -> None:
    doc = simple("Liwa", "captured", "capture", "Darbas")
    cand = candidate(doc, 1, "@territory", actor2=ISIS)
    assert decide(cand, roles_of(doc, agent=[0], patient=[2]), context) == \
        "Non-state actor overtakes territory"


def test_a_later_capture_in_the_paragraph_absorbs_its_clash(context) -> None:
    from frontlines.events.assemble import capture_with_its_fight
    doc = Doc(Vocab(), words=["Fighting", "raged", ".", "Rebels", "took", "Darbas", "."],
              sent_starts=[True, False, False, True, False, False, False])
    first, second = list(doc.sents)
    clash = _draft(doc, "Armed clash", 0, actor1=ISIS, actor2=ARMY)
    clash.sentence = first
    take = _draft(doc, "Government regains territory", 4, actor1=ARMY, actor2=ISIS)
    take.sentence = second
    ctx = SimpleNamespace(paragraph=lambda char: 0)
    assert capture_with_its_fight([clash, take], ctx) == [take]
