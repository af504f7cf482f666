"""Event extraction on the dependency parse: triggers -> roles -> ACLED events.

For each sentence that holds a trigger (sentences without one are skipped after a lemma
look-up), triggers are grouped by clause; a group becomes one candidate event whose roles come
from syntax (subject/agent/object, "from X", "with X", "backed by X"), whose place is the
toponym tied to the trigger (else the sentence's, the paragraph's, the article's focus), whose
date comes from the nearest date expression (else the publication date), and whose fatalities
are the victims of kill words. Negated, denied, planned, conditional and background mentions
are dropped. Candidates that share sub-event type, actors, place and day are merged.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from frontlines.errors import FrontlinesError
from frontlines.events.actors import ActorDictionary, ActorEntry, ActorMatch
from frontlines.events.codebook import Codebook, interaction_code, load_codebook
from frontlines.events.dates import DateMention, find_dates
from frontlines.events.lexicon import Lexicon, TriggerHit, load_lexicon, parse_number
from frontlines.model import Actor, Article, Event, Place, Toponym, content_id

__all__ = ["EventExtractor"]

_LOC_PREPS = {"in", "near", "around", "at", "outside", "on", "across", "inside", "into",
              "throughout", "within", "over", "along", "towards", "toward", "through", "of", "from",
              "to", "between", "west", "east", "north", "south", "off", "beyond", "outskirts"}
_NEAR_WORDS = {"near", "around", "outside", "outskirts", "vicinity", "close", "east", "west",
               "north", "south", "northeast", "northwest", "southeast", "southwest", "nearby",
               "edge", "countryside", "surroundings", "environs", "border"}
_ASSOC = {"back", "support", "assist", "aid", "help", "alongside", "accompany", "cover",
          "coordination", "coordinate", "backing", "ally"}
_LIGHT_VERBS = {"launch", "carry", "conduct", "stage", "mount", "wage", "lead", "hold", "make",
                "begin", "start", "continue", "intensify", "resume", "step", "unleash", "perform",
                "execute", "undertake", "fight", "engage", "repel", "claim", "target", "drop",
                "fire", "throw", "plant", "use", "detonate", "announce", "declare", "agree", "sign",
                "reach", "impose", "break", "hurl", "lob", "find", "discover", "uncover", "exhume"}
_AIR_WORDS = {"warplane", "jet", "aircraft", "helicopter", "drone", "plane", "gunship"}
_ARMED_INTER = {1, 2, 3, 4, 8}
_BOTH_SIDES = re.compile(r"\b(both sides|the two sides|either side|both factions|"
                         r"the two factions|both groups|the two groups|rival factions)\b", re.I)
_ERV_TYPES = {"Air/drone strike", "Shelling/artillery/missile attack", "Suicide bomb",
              "Remote explosive/landmine/IED", "Grenade", "Chemical weapon"}
_SECOND_FROM_SENTENCE = _ERV_TYPES | {
    "Government regains territory", "Non-state actor overtakes territory", "Armed clash",
    "Non-violent transfer of territory", "Agreement", "Arrests"}
_AIR_CONTEXT = re.compile(r"\b(air ?strikes?|air raids?|warplanes?|war planes?|aircraft|jets|"
                          r"helicopters?|drones?|bombers?|air force)\b", re.IGNORECASE)
_FIRE_VERBS = {"open", "exchange", "return", "come", "trade", "draw"}
# verbs that describe a side's means ("used car bombs to slow the advance"), not an event
_TACTIC_VERBS = frozenset({"use", "employ", "deploy"})
# passive verbs of report that raise the subject of the event ("X is said to have taken Y")
_RAISING = frozenset({"say", "report", "believe", "think", "understand", "allege", "know",
                      "claim", "rumour", "rumor", "suspect"})
# what a blast or a shell hits when it goes off "near"/"at" a side's unit
_UNIT_WORDS = frozenset({"patrol", "convoy", "checkpoint", "position", "post", "base", "vehicle",
                         "unit", "camp", "headquarters", "barracks", "outpost"})
_BLAST_WORDS = frozenset({"explode", "detonate", "go", "blow", "land", "hit", "strike", "fall"})
# generic words for a group's men ("militants", "jihadists") and words that say the men are
# of no known group ("unidentified militants")
_GROUP_MEMBERS = frozenset({"militant", "jihadist", "insurgent", "fighter", "extremist",
                            "terrorist"})
_UNKNOWN_WORDS = frozenset({"unknown", "unidentified", "masked", "suspected", "armed"})
# what civilians own: hit, looted or destroyed, its owners are the civilians
_CIVIL_PROPERTY = frozenset({"home", "house", "shop", "store", "market", "orchard", "farm", "field",
                             "crop", "warehouse", "aid", "livestock", "cattle", "property",
                             "building", "school", "hospital", "clinic", "mosque", "church",
                             "bakery", "hotel", "restaurant", "apartment", "residence"})
_TANK_CONTENTS = frozenset({"water", "fuel", "oil", "gas", "storage", "petrol", "diesel",
                            "septic", "fish"})
_CLEARING = {"clear", "clearing", "remove", "defuse", "dismantle", "disarm", "collect", "find",
             "discover", "demining", "clearance"}
_GOING_ON = {"continue", "last", "rage", "persist", "end", "subside", "resume", "intensify", "ease",
             "stop", "cease", "go"}
_DENIED_OBJECTS = {"which", "that", "it", "this", "claim", "claims", "report", "reports", "allegation"}
_VACATE = {"vacate", "leave", "abandon", "evacuate", "hold", "occupy", "control", "withdraw"}
_ANAPHORS = {"group", "militant", "jihadist", "faction", "movement", "organisation", "organization",
             "insurgent", "extremist"}
_NOT_PEOPLE = {"death", "body", "toll", "fatality", "casualty", "life", "position", "base",
               "vehicle", "car", "house", "home", "building", "convoy", "checkpoint", "post"}


@dataclass
class _Party:
    entry: ActorEntry
    text: str


@dataclass
class _Candidate:
    sub_event_type: str
    trigger: Token
    sentence: Span
    actor1: _Party | None = None
    assoc1: list[_Party] = field(default_factory=list)
    actor2: _Party | None = None
    assoc2: list[_Party] = field(default_factory=list)
    toponym: Toponym | None = None
    near: bool = False
    attached: bool = False
    date: DateMention | None = None
    fatalities: int = 0
    claim_source: str = ""
    certainty: str = "asserted"


class EventExtractor:
    """Extract ACLED events from an article, its spaCy ``Doc`` and its resolved toponyms."""

    def __init__(self, *, gazetteer=None, actors: ActorDictionary | None = None,
                 codebook: Codebook | None = None, lexicon: Lexicon | None = None) -> None:
        self.gazetteer = gazetteer
        self.actors = actors or ActorDictionary.default()
        self.codebook = codebook or load_codebook()
        self.lexicon = lexicon or load_lexicon()

    # ------------------------------------------------------------------ public
    def extract(self, article: Article, doc: Doc, toponyms: Sequence[Toponym]) -> list[Event]:
        ctx = _Context(self, article, doc, toponyms)
        title_end = len(article.title) if article.title else -1
        body: list[_Candidate] = []
        title: list[_Candidate] = []
        for sent in _sentences(doc):
            if not self.lexicon.has_trigger(sent):
                continue
            found = ctx.sentence_events(sent)
            (title if sent.start_char < title_end else body).extend(found)
        # A headline repeats the body; it counts only when the body yields nothing.
        return ctx.to_events(body or title)


class _Context:
    """Per-article state: dates, actor mentions, toponyms, focus country."""

    def __init__(self, ex: EventExtractor, article: Article, doc: Doc,
                 toponyms: Sequence[Toponym]) -> None:
        self.ex, self.lex, self.actors, self.codebook = ex, ex.lexicon, ex.actors, ex.codebook
        self.article, self.doc = article, doc
        self.text = doc.text
        self.published = article.published_date
        self.dates = find_dates(self.text, self.published)
        self.matches: list[ActorMatch] = self.actors.find(self.text)
        self.text_country = self._text_country()
        # a place inside an actor's name ("US-led coalition") is not where anything happened
        toponyms = [self._recheck(t) for t in toponyms if t.place is not None
                    and not any(m.start <= t.start and t.end <= m.end for m in self.matches)]
        self.toponyms = sorted(self._plausible(toponyms), key=lambda t: t.start)
        self.paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", self.text)]
        counts = Counter(t.place.country_code for t in self.toponyms if t.place)
        self.focus_country: str | None = counts.most_common(1)[0][0] if counts else None
        if self.focus_country is None:  # country names and demonyms, then named actors' homes
            words = Counter()
            for m in _country_regex(self.codebook).finditer(self.text):
                info = self.codebook.country(m.group(0)) or self.codebook.country_by_demonym(m.group(0))
                if info is not None:
                    words[info.iso2] += 1
            self.focus_country = words.most_common(1)[0][0] if words else None
        if self.focus_country is None:
            named = Counter(m.entry.country for m in self.matches if m.entry.country)
            self.focus_country = named.most_common(1)[0][0] if named else None
        self.previous: _Candidate | None = None
        # the two armed parties of the article's last battle: "fighters from both sides"
        self.sides: tuple[_Party, _Party] | None = None
        self.seen_types: set[str] = set()  # event types found so far in the article
        self._shared_sentence = False
        self.air_context = bool(_AIR_CONTEXT.search(self.text))
        self.responsible = self._responsibility()
        self.focus_toponym: Toponym | None = None
        if self.toponyms:
            local = [t for t in self.toponyms if t.place.country_code == self.focus_country
                     and t.place.feature_code not in ("PCLI", "PCL", "PCLD")] or self.toponyms
            self.focus_toponym = local[0]

    def _text_country(self) -> str | None:
        """The country the words point at: country names, demonyms, named local actors."""
        votes: Counter[str] = Counter()
        for m in _country_regex(self.codebook).finditer(self.text):
            info = self.codebook.country(m.group(0)) or self.codebook.country_by_demonym(m.group(0))
            if info is not None:
                votes[info.iso2] += 1
        for m in self.matches:
            if m.entry.country and m.entry.inter != 8 and not m.entry.state:
                votes[m.entry.country] += 1
        top = votes.most_common(2)
        if not top or (len(top) > 1 and top[1][1] == top[0][1]):
            return None
        return top[0][0]

    def _plausible(self, toponyms: list[Toponym]) -> list[Toponym]:
        """Places the article can be about: in the text's country, or in a country the text
        names ("Syria", "Syrian", "Idlib province"), the home of an actor it names, or that holds
        two of its places. A village resolved to Chad or Libya in a
        report about Idlib or the Qalamoun is a gazetteer homonym and never an event's place;
        the event falls back to the next place tied to it ("the heights near Qara")."""
        if len(toponyms) < 2:
            return toponyms
        named = {self.text_country} | {m.entry.country for m in self.matches if m.entry.country}
        per_country = Counter(c for c, _ in {(t.place.country_code, t.place.geonameid) for t in toponyms})
        named |= {c for c, n in per_country.items() if n >= 2}
        for t in toponyms:
            if t.place.feature_code in ("PCLI", "PCL", "PCLD", "PCLS", "TERR") or (
                    t.place.feature_code or "").startswith("ADM1"):
                named.add(t.place.country_code)
        for m in _country_regex(self.codebook).finditer(self.text):
            info = self.codebook.country(m.group(0)) or self.codebook.country_by_demonym(m.group(0))
            if info is not None and not any(a.start <= m.start() < a.end for a in self.matches):
                named.add(info.iso2)
        kept = [t for t in toponyms if t.place.country_code in named
                or (t.place.feature_code or "") in ("PPLC", "PPLA")]  # Sidon, Beirut, Homs
        return kept or toponyms

    def _recheck(self, topo: Toponym) -> Toponym:
        """A place far from the country the text is about, when that country has the name too."""
        want = self.text_country
        gaz = self.ex.gazetteer
        if gaz is None or want is None or topo.place is None or topo.place.country_code == want:
            return topo
        try:
            found = gaz.lookup(topo.text, countries=[want], limit=1, fuzzy=False)
        except (FrontlinesError, sqlite3.Error):  # the gazetteer is an optional helper here
            return topo
        if not found:
            return topo
        return topo.replace(place=found[0].place,
                            reason=f"{topo.reason}; events: re-resolved in {want}, the text's country")

    # ------------------------------------------------------------------ sentences
    def sentence_events(self, sent: Span) -> list[_Candidate]:
        found = [h for h in self.lex.match(sent) if not self._blocked(self.doc[h.head])]
        hits = [h for h in found if not self._background(h, soft=False)]
        if any(self._claims_known(h) for h in hits):
            return []  # "Al-Shabaab claimed the attack, saying it had targeted officials"
        hits = [h for h in hits if not self._background(h)]
        main = [h for h in hits if h.spec.type == "@protest" or (
            self.doc[h.head].dep_ not in ("acl", "relcl") and not _in_assoc(self.doc[h.head]))]
        if main and len(main) < len(hits):  # "soldiers captured by ISIS in 2014 ..." is a modifier
            hits = main
        if not hits:
            return []
        if self.previous is not None and all(h.spec.type == "@outcome" for h in hits) and all(
                self.doc[h.head].dep_ in ("acl", "amod", "relcl") for h in hits):
            return []  # "the three soldiers killed by the mine": victims already reported
        if all(h.spec.type == "@outcome" for h in hits) and self.previous is not None \
                and self._paragraph(sent.start_char) == self._paragraph(self.previous.sentence.start_char):
            # "Twenty ISIS fighters were killed, the army said." adds to the event before it
            more = self._fatalities(hits, _Roles())
            self._other_side_from(hits, self.previous)
            if any(t.lower_ == "toll" for t in sent) and self.previous.fatalities:
                self.previous.fatalities = min(self.previous.fatalities, more or self.previous.fatalities)
            else:
                self.previous.fatalities += more
            return []
        outcome = {o.head for o in hits} | {self.doc[o.head].head.i for o in hits
                                            if self.doc[o.head].dep_ == "conj"}
        if all(h.spec.type == "@outcome" for h in hits) and any(
                any(a.i in outcome for a in self.doc[d.head].ancestors)
                for d in found if d not in hits and self._time_reference(self.doc[d.head])):
            # "115 soldiers were killed in the 11-day offensive": a campaign's toll, not an event
            return []
        return self._events_from(sent, hits)

    def _other_side_from(self, hits: list[TriggerHit], cand: _Candidate) -> None:
        """A battle told without its second side gets it from the dead reported after it
        ("... captured the Daher el-Khanzeer Hills. Twenty ISIS fighters were killed")."""
        if cand.actor2 is not None or cand.actor1 is None or \
                self.codebook.sub_event(cand.sub_event_type).event_type != "Battles":
            return
        roles = _Roles()
        for hit in hits:
            self._roles(self.doc[hit.head], roles)
        when = cand.date.date if cand.date else self.published
        country = cand.toponym.place.country_code if cand.toponym is not None and \
            cand.toponym.place else self.focus_country
        for tok in roles.victims:
            for party in self._parties(tok, country, when):
                # an actor of actor1's own kind is as likely its own men: left alone
                mine = cand.actor1.entry
                if party.entry.inter in _ARMED_INTER and party.entry.name != mine.name \
                        and party.entry.inter != mine.inter:
                    cand.actor2 = party
                    return

    def _events_from(self, sent: Span, hits: list[TriggerHit]) -> list[_Candidate]:
        groups = self._group(hits)
        self._shared_sentence = len(groups) > 1
        out = []
        for primary, members in groups:
            cand = self._candidate(sent, primary, members)
            if cand is not None:
                out.append(cand)
                self.previous = cand
                self.seen_types.add(self.codebook.sub_event(cand.sub_event_type).event_type)
        if any(c.sub_event_type in _ERV_TYPES | {"Armed clash"} for c in out):
            # "shelled ISIS positions ... and destroyed a command post": damage done by the attack
            out = [c for c in out if c.sub_event_type != "Looting/property destruction"]
        return out

    def _background(self, hit: TriggerHit, *, soft: bool = True) -> bool:
        """A mention that describes something, not a new event.

        "the hills they had captured", "a captured ISIS fighter", "positions vacated by the
        group" (ground-changing words as modifiers), "the group, which stayed out of the
        fighting" (inside a relative clause), "during the battle", "a week into the offensive"
        and "the fighting" after an earlier event (references to a reported event).
        """
        tok = self.doc[hit.head]
        kind = self._kind(hit)
        if kind == "@outcome":
            return False  # deaths attach to the event around them
        ground = kind in ("@territory", "Non-violent transfer of territory")
        if ground and tok.pos_ in ("VERB", "ADJ") and tok.dep_ in ("relcl", "acl"):
            return True
        if tok.dep_ == "amod" and tok.tag_ == "VBN" and tok.i > 0 and tok.head.i > tok.i and (
                self.doc[tok.i - 1].pos_ in ("DET", "PRON") or self.doc[tok.i - 1].tag_ == "POS"):
            return True  # "a captured ISIS fighter", "the group's captured members"
        if tok.pos_ == "NOUN" and self._time_reference(tok):
            return True
        head = tok.head.lemma_.lower()
        if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ == "under" and \
                tok.head.head.lemma_.lower() not in ("come", "fall") and (  # "came under attack"
                kind != "Agreement" or "Strategic developments" in self.seen_types):
            # a state ("under attack", "under fire"); "under an agreement" is a reference to an
            # agreement only once one has been reported
            return True  # a state: "under attack", "under fire", "under an agreement"
        if tok.lemma_.lower() == "fire" and tok.pos_ == "NOUN" and head not in _FIRE_VERBS and (
                tok.i == 0 or self.doc[tok.i - 1].lemma_.lower() not in _FIRE_VERBS):
            return True  # "started a brush fire"
        base = tok.head if tok.dep_ == "conj" else tok  # "clearing mines and booby-traps"
        if kind in _ERV_TYPES and ((base.dep_ == "dobj" and base.head.lemma_.lower() in _CLEARING) or any(
                c.dep_ in ("compound", "amod") and c.lemma_.lower() in _CLEARING for c in base.children)):
            return True  # "engineers were clearing mines": no attack
        if tok.pos_ == "NOUN" and base.tag_ == "NNS" and base.dep_ == "dobj" and \
                base.head.lemma_.lower() in _TACTIC_VERBS:
            purpose = [c for c in base.head.children if c.dep_ in ("advcl", "xcomp") and
                       any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)]
            if purpose and not any(self.lex.has_trigger([c]) for c in purpose):
                return True  # "ISIS used suicide car bombs and snipers to slow the advance"
        if not soft:
            return False
        if kind not in ("@protest", "@outcome") and _in_relcl(tok):
            return True
        if not self._families(kind) & self.seen_types:
            return False
        if tok.pos_ == "NOUN" and self._reference(tok):
            return True
        if tok.dep_ in ("nsubj", "csubj") and head in _GOING_ON:
            return True  # "Fighting there continued into the night"
        # "The strike hit a car": a verb whose subject is the event already told
        return tok.pos_ == "VERB" and any(
            c.dep_ == "nsubj" and self._determined(c) and self.lex.has_trigger([c])
            and c.lemma_.lower() not in _AIR_WORDS for c in tok.children)

    def _claims_known(self, hit: TriggerHit) -> bool:
        tok = self.doc[hit.head]
        return (tok.pos_ == "NOUN" and tok.dep_ == "dobj" and self._determined(tok)
                and tok.head.lemma_.lower() in self.lex.claim_verbs
                and bool(self._families(self._kind(hit)) & self.seen_types))

    def _kind(self, hit: TriggerHit) -> str:
        """The trigger's type; "a strike" in a report about air raids is an air strike."""
        tok = self.doc[hit.head]
        if hit.spec.type == "@protest" and tok.lemma_.lower() == "strike" and tok.pos_ == "NOUN" \
                and self.air_context and not any(
                    c.lower_ in ("general", "hunger", "workers", "labour", "labor") for c in tok.children):
            return "Air/drone strike"
        return hit.spec.type

    def _families(self, kind: str) -> set[str]:
        """ACLED event types a trigger kind can give."""
        if kind in self.codebook.sub_event_types:
            return {self.codebook.sub_event(kind).event_type}
        return {"@territory": {"Battles"}, "@protest": {"Protests", "Riots"},
                "@violence": {"Battles", "Violence against civilians", "Explosions/Remote violence"},
                }.get(kind, {"Battles", "Violence against civilians"})

    def _time_reference(self, tok: Token) -> bool:
        """"during the battle", "a week into the army's offensive", "the eleven-day offensive"."""
        lex = self.lex
        head = tok.head
        if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_.lower() in (
                "day", "week", "month", "year", "hour"):
            return True  # "after a week of fighting": a span of time, told elsewhere
        if not self._determined(tok):
            return False
        before = self.text[tok.left_edge.idx:tok.idx].lower()
        if re.search(r"\w+\s*-\s*(day|week|month|year)\b|\blong\b", before):
            return True  # "the eleven-day offensive": a summary of a campaign
        head = tok.head
        if tok.dep_ == "pobj" and head.lower_ == "in" and head.head.lemma_.lower() in lex.kill_lemmas:
            return False  # "15 fighters were killed in the clashes around Saraqib": its toll
        return tok.dep_ == "pobj" and head.lower_ in lex.reference_time_preps

    def _determined(self, tok: Token) -> bool:
        lex = self.lex
        return any(c.dep_ in ("det", "poss") and (
            c.lower_ in lex.reference_determiners or c.tag_ in ("PRP$", "NNP", "NNPS")
            or any(g.tag_ == "POS" for g in c.children)) for c in tok.children)

    def _reference(self, tok: Token) -> bool:
        """A definite or possessive noun trigger pointing back at an event already reported
        ("The shells landed in open ground", "The clashes ended at night")."""
        if not self._determined(tok):
            return False
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() in _LIGHT_VERBS:
            return False  # "launched its offensive", "carried out the strike": the event itself
        if tok.dep_ == "pobj" and tok.head.lower_ == "in" and \
                tok.head.head.lemma_.lower() in self.lex.kill_lemmas and (
                self.previous is None
                or self._paragraph(tok.idx) != self._paragraph(self.previous.sentence.start_char)):
            return False  # "15 fighters were killed in the clashes around Saraqib": a new tally
        if tok.dep_ == "dobj" and tok.head.lemma_.lower() in self.lex.claim_verbs:
            return True  # "Al-Shabaab claimed the attack"
        return tok.dep_ != "dobj"

    def _anchor(self, tok: Token) -> Token:
        """The verb that governs a trigger noun (itself for verbs)."""
        cur, steps = tok, 0
        while cur.pos_ not in ("VERB", "AUX") and cur.dep_ != "ROOT" and steps < 4:
            cur = cur.head
            steps += 1
        return cur

    def _blocked(self, tok: Token) -> bool:
        """Negated, denied, planned, modal, conditional: not a reported event."""
        lex = self.lex
        chain = [tok]
        cur = tok
        for _ in range(6):
            if cur.head.i == cur.i:
                break
            if cur.dep_ in ("relcl", "parataxis"):
                break
            cur = cur.head
            chain.append(cur)
        verb = self._anchor(tok)
        for i, node in enumerate(chain):
            for child in node.children:
                low = child.lower_
                negated = child.dep_ == "neg" or (
                    low in lex.negation and child.dep_ in ("neg", "det", "advmod"))
                if negated and (i == 0 or node == verb or node.pos_ in ("VERB", "AUX")):
                    return True
                modal = (child.dep_ == "aux" and child.tag_ == "MD"
                         and child.lemma_.lower() in lex.modal)
                if modal and (i == 0 or node == verb):
                    return True
                if child.dep_ == "mark" and low in lex.conditional_marks:
                    return True
            if i > 0:
                lemma = node.lemma_.lower()
                if lemma in lex.denial:
                    return True
                if lemma in lex.plan and chain[i - 1].dep_ in ("xcomp", "ccomp", "dobj", "prep", "pobj",
                                                                "advcl", "acl"):
                    return True
                if node.pos_ == "NOUN" and lemma in lex.plan_nouns:
                    return True
            if node.dep_ in ("ccomp",) and i > 0 and node.head.lemma_.lower() in lex.report_verbs:
                break
        # "HTS said it had seized several checkpoints, which the army denied"
        for d in verb.subtree:
            if d.lemma_.lower() in lex.denial and d.pos_ == "VERB" and d.i != tok.i and any(
                    c.dep_ in ("dobj", "nsubjpass") and c.lower_ in _DENIED_OBJECTS
                    for c in d.children):
                return True
        return False

    def _group(self, hits: list[TriggerHit]) -> list[tuple[TriggerHit, list[TriggerHit]]]:
        """Triggers of one clause form one event; the primary names its sub-event type."""
        doc = self.doc
        order = sorted(hits, key=lambda h: -h.spec.priority)
        groups: list[list[TriggerHit]] = []
        for hit in order:
            tok = doc[hit.head]
            anchor = self._anchor(tok)
            target = None
            for members in groups:
                for other in members:
                    otok = doc[other.head]
                    oanchor = self._anchor(otok)
                    linked = anchor == oanchor or _linked(anchor, oanchor) or _linked(tok, otok)
                    compatible = (
                        {hit.spec.type, other.spec.type} & {"@outcome", "@violence"}
                        or hit.spec.type == other.spec.type
                        or tok.pos_ != "VERB" or otok.pos_ != "VERB")
                    if linked and compatible:
                        target = members
                        break
                if target is not None:
                    break
            if target is None and hit.spec.type == "@outcome" and groups:
                target = groups[0]
            if target is not None:
                target.append(hit)
            else:
                groups.append([hit])

        def rank(h: TriggerHit) -> tuple[int, int, int]:
            tok = doc[h.head]
            modifier = tok.dep_ in ("acl", "relcl", "amod") or _in_assoc(tok)
            verb_class = (tok.pos_ == "VERB" and h.spec.type not in ("@violence", "@outcome")
                          and h.spec.priority >= 5)
            return (0 if modifier else 1, 1 if verb_class else 0, h.spec.priority)

        out = [(max(members, key=rank), members) for members in groups]
        out.sort(key=lambda g: g[0].start)
        return out

    # ------------------------------------------------------------------ candidate
    def _candidate(self, sent: Span, primary: TriggerHit, members: list[TriggerHit]) -> _Candidate | None:
        doc = self.doc
        trig = doc[primary.head]
        kind = self._kind(primary)
        roles = _Roles()
        for hit in sorted(members, key=lambda h: -h.spec.priority):
            self._roles(doc[hit.head], roles)
        anchor = self._anchor(trig)
        heads = {trig.i, anchor.i, *(t.i for t in roles.agent)}
        for t in sent:  # "The Syrian Army, backed by Hezbollah, ..." / "..., supported by X"
            if t.lemma_.lower() in _ASSOC and t.head.i in heads and t.i not in heads:
                for p in t.children:
                    if p.dep_ in ("agent", "prep") and p.lower_ in ("by", "from", "with", "of"):
                        roles.assoc.extend(x for q in p.children if q.dep_ == "pobj"
                                           for x in _with_conj(q))
                # location first: generic actors resolve against the event's country
        ground = kind in ("@territory", "Non-violent transfer of territory")
        topo, near, attached = self._location(sent, roles, trig, objects_first=ground)
        country = topo.place.country_code if topo is not None and topo.place else self.focus_country
        date = self._date(sent, trig)
        if date is not None and date.background:
            return None
        if date is None and self.published is None:
            return None
        when = date.date if date else self.published

        def party(tokens: list[Token]) -> list[_Party]:
            out: list[_Party] = []
            for t in tokens:
                for p in self._parties(t, country, when):
                    if all(p.entry.name != q.entry.name for q in out):
                        out.append(p)
            return out

        agents, patients = party(roles.agent), party(roles.patient)
        opponents, assoc = party(roles.opponent), party(roles.assoc)
        victims = party(roles.victims)
        if not victims and any(t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in _NOT_PEOPLE
                               for t in roles.victims):
            civ = self.actors.generic("civilians", country, when)  # unnamed victims: civilians
            victims = [_Party(civ, "civilians")] if civ else []
        cand = _Candidate(sub_event_type="", trigger=trig, sentence=sent, toponym=topo, near=near,
                          attached=attached, date=date)
        cand.fatalities = self._fatalities(members, roles)
        a1 = agents[0] if agents else None
        a2 = (opponents or [p for p in patients if a1 is None or p.entry.name != a1.entry.name]
              or [None])[0]
        # actor2 is who was attacked, killed or hurt, not a side named as fighting ("clashes
        # with ISIS", which alone may stand as actor1)
        struck = not opponents and a2 is not None
        if a2 is None and victims:
            a2 = next((v for v in victims if a1 is None or v.entry.name != a1.entry.name), None)
            struck = a2 is not None
        if a1 is None and kind in ("@violence", "@outcome", "Armed clash", "@territory") and victims and a2 is not None \
                and victims[0].entry.name != a2.entry.name and victims[0].entry.inter != 7:
            a1 = victims[0]
        assoc1 = [p for p in agents[1:] + assoc if a1 is None or p.entry.name != a1.entry.name]
        if trig.lemma_.lower() in self.lex.movement and kind == "Armed clash" and not (
                opponents or [p for p in patients if p.entry.inter in _ARMED_INTER]):
            return None  # "troops advanced and captured X": the advance is part of the capture
        sub = self._sub_event(kind, primary, trig, sent, a1, a2, roles, country, when)
        if sub is None:
            return None
        if sub in ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"):
            prot = self.actors.generic("protesters", country, when)
            if prot is not None:
                if a1 is not None and a1.entry.inter in (2, 3, 4):
                    assoc1.insert(0, a1)  # a named group behind the protest
                a1 = _Party(prot, "protesters")
            if sub == "Peaceful protest":
                a2 = None
            elif a2 is None or a2.entry.inter not in (1, 8):
                force = next((p for p in agents if p.entry.inter in (1, 8)), None) \
                    or self._sentence_force(sent, country, when)
                police = self.actors.generic("police", country, when)
                a2 = force or (_Party(police, "police") if police else a2)
        elif sub in ("Violent demonstration", "Mob violence"):
            rio = self.actors.generic("rioters", country, when)
            if rio is not None:
                a1 = _Party(rio, "rioters")
            if sub == "Violent demonstration" and (a2 is None or a2.entry.inter not in (1, 8)):
                a2 = self._sentence_force(sent, country, when) or a2  # "threw stones at police"
        elif sub == "Arrests" and a1 is None:
            police = self.actors.generic("police", country, when)
            a1 = _Party(police, "police") if police else None
        elif sub == "Government regains territory" and (a1 is None or a1.entry.inter != 1):
            if a1 is not None and a2 is None:
                a2 = a1
            mil = self.actors.generic("military", country, when)
            a1 = _Party(mil, "state forces") if mil else a1
        if sub in ("Attack", "Abduction/forced disappearance", "Sexual violence") and a2 is None:
            civ = self.actors.generic("civilians", country, when)
            a2 = _Party(civ, "civilians") if civ else None
        if a1 is None:
            if a2 is not None and sub in ("Armed clash",) and not struck:
                a1, a2 = a2, None  # "clashes with ISIS": the one side named
            else:
                uag = self.actors.generic("unidentified", country, when)
                if uag is None:
                    return None
                a1 = _Party(uag, "unidentified")
        if a2 is not None and a2.entry.name == a1.entry.name:
            a2 = None
        if sub == "Non-violent transfer of territory":
            takers = party(roles.recipient)
            if takers:  # "handed over the villages to government forces": taker is actor1
                a1, a2 = takers[0], a1
        if sub == "Excessive force against protesters":
            force = next((p for p in agents if p.entry.inter in (1, 8)), None) or (
                a2 if a2 is not None and a2.entry.inter in (1, 8) else None)
            if force is None:
                police = self.actors.generic("police", country, when)
                force = _Party(police, "police") if police else None
            prot = self.actors.generic("protesters", country, when)
            a1, a2 = force, (_Party(prot, "protesters") if prot else None)
            if a1 is None:
                a1, a2 = a2, None
        if a1 is None:
            return None
        if a2 is not None and a2.entry.name == a1.entry.name:
            a2 = None
        if sub == "Non-violent transfer of territory" and self._not_ground(roles):
            # bodies, prisoners, weapons handed over: an exchange deal at most, never ground
            if not self._exchange(sent):
                return None
            sub = "Agreement"
        if sub == "Other" and trig.lemma_.lower() in ("release", "free") and self._exchange(sent):
            sub = "Agreement"  # prisoners released as part of a deal
        if sub == "Agreement" or self.codebook.sub_event(sub).event_type == "Strategic developments":
            cand.fatalities = 0  # bodies handed over, remains found: no one died in this event
        if a2 is None and sub in _SECOND_FROM_SENTENCE:
            a2 = self._named_other(sent, a1, assoc1, sub)
        if a2 is None and (sub == "Looting/property destruction" or sub in _ERV_TYPES):
            owner = self._property_owner(roles, country, when)
            if owner is not None:  # "demolished two Palestinian homes", "landed in an orchard"
                a2 = owner
        elif sub == "Arrests" and a2 is not None and a2.entry.inter == 7:
            # "arrested a Syrian man on suspicion of planning attacks for the Islamic State"
            a2 = self._named_other(sent, a1, assoc1, sub) or a2
        cand.sub_event_type = sub
        cand.actor1, cand.actor2 = a1, a2
        cand.assoc1 = [p for p in assoc1 if p.entry.name not in (a1.entry.name, a2.entry.name if a2 else "")]
        cand.claim_source, cand.certainty = self._attribution(sent, trig)
        if cand.certainty == "claimed" and self._denied_after(sent):
            return None  # "ISIS claimed ... The army denied it."
        if a1.entry.inter == 3 and a1.entry.name.startswith("Unidentified") and self.responsible:
            cand.actor1 = self.responsible  # "Al-Shabaab claimed responsibility."
        self._take_sides(cand, sent)
        return cand

    def _take_sides(self, cand: _Candidate, sent: Span) -> None:
        """Battles between two named armed parties set the article's sides; a later battle
        told only as "fighters from both sides" is between them."""
        if self.codebook.sub_event(cand.sub_event_type).event_type != "Battles":
            return
        a1, a2 = cand.actor1, cand.actor2
        unnamed = a1 is None or (a1.entry.inter == 3 and a1.entry.name.startswith("Unidentified"))
        if unnamed and self.sides is not None and _BOTH_SIDES.search(sent.text) and (
                a2 is None or a2.entry.name in {p.entry.name for p in self.sides}):
            cand.actor1, cand.actor2 = self.sides
        elif a1 is not None and a2 is not None and not unnamed and \
                a1.entry.inter in _ARMED_INTER and a2.entry.inter in _ARMED_INTER:
            self.sides = (a1, a2)

    def _property_owner(self, roles: _Roles, country: str | None,
                        when: dt.date | None) -> _Party | None:
        """Civilians, when what was hit, looted or destroyed is civilian property (a home, a
        shop, an orchard, food aid); of the country its demonym names, else the event's."""
        hit = [p for p in roles.patient] + [t for t, _word in roles.places]
        for tok in hit:
            if tok.lemma_.lower() not in _CIVIL_PROPERTY:
                continue
            where = country
            for c in tok.children:
                info = self.codebook.country_by_demonym(c.text) if c.dep_ in ("amod", "compound") \
                    and c.text[:1].isupper() else None
                if info is not None:
                    where = info.iso2
            civ = self.actors.generic("civilians", where, when)
            return _Party(civ, tok.text) if civ else None
        return None

    def _exchange(self, sent: Span) -> bool:
        """The sentence names an exchange or a deal ("in exchange", "as part of the agreement")."""
        low = " ".join(sent.text.lower().split())
        lemmas = {t.lemma_.lower() for t in sent}
        return any((len(w) == 1 and w[0] in lemmas) or " ".join(w) in low
                   for w in self.lex.exchange_cues)

    def _not_ground(self, roles: _Roles) -> bool:
        """The handed-over object is people, bodies or arms, not ground."""
        objects = [t for t in roles.patient if t.pos_ in ("NOUN", "PROPN")]
        if not objects or any(self._is_place(t) for t in objects):
            return False
        return any(t.lemma_.lower() in self.lex.not_territory for t in objects)

    def _sentence_force(self, sent: Span, country: str | None, when: dt.date | None) -> _Party | None:
        """State forces named in the sentence ("soldiers", "riot police", "Israeli troops")."""
        for tok in sent:
            if tok.pos_ not in ("NOUN", "PROPN"):
                continue
            party = self._party(tok, country, when)
            if party is not None and party.entry.inter in (1, 8) and party.entry.state:
                return party
        return None

    def _named_other(self, sent: Span, a1: _Party, assoc: list[_Party], sub: str) -> _Party | None:
        """The other named side in the sentence ("... after ISIS fighters withdrew")."""
        if sub in _ERV_TYPES | {"Arrests"}:
            # strikes on open ground have no actor2; arrests need the group named as the target
            if sub == "Arrests" and not re.search(r"suspic|suspected|belong|member|affiliat",
                                                  sent.text, re.IGNORECASE):
                return None
        taken = {a1.entry.name, *(p.entry.name for p in assoc)}
        for m in self.matches:
            if not (sent.start_char <= m.start < sent.end_char) or m.entry.name in taken:
                continue
            if m.entry.inter == a1.entry.inter == 1 or m.entry.inter == 8:
                continue
            if self._fights_alongside(sent, m, a1):
                continue  # "after troops and the PMF captured X": a partner, not the enemy
            if sub in _ERV_TYPES:
                # only a target the weapon is aimed at: "on ISIS positions", "at ISIS vehicles"
                before = self.text[max(sent.start_char, m.start - 12):m.start].lower()
                if not re.search(r"\b(on|at|against|targeting|hit|struck|pounded)\s+(the\s+)?$", before):
                    continue
            return _Party(m.entry, m.text)
        return None

    def _fights_alongside(self, sent: Span, match, a1: _Party) -> bool:
        """``match`` is coordinated with a state force in a subject ("troops and the PMF",
        "the army and Hezbollah") while actor1 is a state force."""
        if a1.entry.inter != 1:
            return False
        tok = next((t for t in sent if t.idx <= match.start < t.idx + len(t.text)), None)
        if tok is None:
            return False
        while tok.dep_ in ("compound", "amod", "det", "poss", "nmod", "flat") and tok.head.i != tok.i:
            tok = tok.head
        group = [tok]
        cur = tok
        while cur.dep_ == "conj" and cur.head.i != cur.i:
            cur = cur.head
            group.append(cur)
        group += [c for g in list(group) for c in g.children if c.dep_ == "conj"]
        if not any(g.dep_ in ("nsubj", "nsubjpass") for g in group):
            return False
        for g in group:
            if g.i == tok.i:
                continue
            kind = self.actors.generic_kind([g.lemma_.lower()])
            if kind is not None and kind.kind in ("military", "police"):
                return True
            lo, hi = _span_chars(g)
            if any(lo <= m.start < hi and m.entry.inter == 1 for m in self.matches):
                return True
        return False

    def _denied_after(self, sent: Span) -> bool:
        nxt = self.doc[sent.end].sent if sent.end < len(self.doc) else None
        for span in (sent, nxt):
            if span is None:
                continue
            if any(t.lemma_.lower() in self.lex.denial for t in span):
                return True
        return False

    def _responsibility(self) -> _Party | None:
        """The group that claimed the attack: "X claimed responsibility", "X said it carried out"."""
        for m in re.finditer(r"claimed responsibility|claims? of responsibility|said (?:it|they) "
                             r"(?:had )?carried out|claimed the attack", self.text, re.IGNORECASE):
            before = [a for a in self.matches if a.end <= m.start() and m.start() - a.end < 60]
            after = [a for a in self.matches if a.start >= m.end() and a.start - m.end() < 20]
            pick = before[-1] if before else (after[0] if after else None)
            if pick is not None:
                return _Party(pick.entry, pick.text)
        return None

    def _sub_event(self, kind: str, primary: TriggerHit, trig: Token, sent: Span,
                   a1: _Party | None, a2: _Party | None, roles: _Roles,
                   country: str | None, when: dt.date | None) -> str | None:
        lemmas = {t.lemma_.lower() for t in sent}
        text_low = sent.text.lower()

        def cue(words) -> bool:
            return any((len(w) == 1 and w[0] in lemmas) or " ".join(w) in text_low for w in words)

        if kind == "@territory":
            vacated = {"vacate", "leave", "evacuate", "withdraw", "abandon", "gone", "hand", "depart"}
            if trig.lemma_.lower() in ("take", "enter", "assume") and (
                    any(t.lemma_.lower() in vacated for t in sent) or "without a fight" in text_low):
                return "Non-violent transfer of territory"
            if primary.spec.lemmas == ("take",) and not (
                    roles.places or any(self._is_place(t) for t in roles.patient) or roles.opponent):
                return None
            people = [t for t in roles.patient if not self._is_place(t)
                      and self.actors.generic_kind([t.lemma_.lower()]) is not None
                      and t.lemma_.lower() not in ("position", "base")]
            if people and trig.lemma_.lower() in ("seize", "capture", "take"):
                return "Arrests" if a1 is not None and a1.entry.inter == 1 else \
                    "Abduction/forced disappearance"
            if a1 is not None:
                return ("Government regains territory" if a1.entry.inter == 1
                        else "Non-state actor overtakes territory")
            opp = a2
            if opp is not None and opp.entry.inter == 1:
                return "Non-state actor overtakes territory"
            return "Government regains territory" if opp is not None else "Armed clash"
        if kind == "@protest":
            cues = self.lex.protest_cues
            if cue(cues.get("excessive_force", ())):
                return "Excessive force against protesters"
            if "peaceful" in text_low:
                return "Peaceful protest"
            if cue(cues.get("riot", ())):
                return "Violent demonstration"
            if cue(cues.get("intervention", ())):
                return "Protest with intervention"
            return "Peaceful protest"
        lead = []  # the sentence's opening noun phrase, when the parse lost its subject
        for t in sent:
            if t.pos_ in ("VERB", "AUX") or t.i >= trig.i:
                break
            lead.append(t)
        air = self._air(roles, a1, trig) or (
            kind in ("@violence", "@outcome") and any(
                t.lemma_.lower() in _AIR_WORDS or t.lower_.removesuffix("s") in _AIR_WORDS for t in lead))
        if air and (kind in ("@violence", "@outcome", "Armed clash", "Shelling/artillery/missile attack")
                    or (kind == "@protest" and trig.lemma_.lower() == "strike")
                    or trig.lemma_.lower() == "bomb"):  # "warplanes bombed the town"
            return "Air/drone strike"
        crowd = {5, 6, 7}
        if kind in ("@violence", "@outcome"):
            target = a2
            if any(c.lemma_.lower() in ("protest", "demonstrate") for v in roles.victims + roles.patient
                   for c in v.children):
                return "Excessive force against protesters"  # "shot dead ... Palestinians protesting"
            if a1 is not None and a1.entry.inter in crowd:
                mob = target.entry.inter in (5, 7) if target is not None else a1.entry.inter == 5
                return "Mob violence" if mob else "Violent demonstration"
            if target is not None and target.entry.inter == 7:
                return "Attack"
            if target is not None and target.entry.inter in crowd:
                return "Excessive force against protesters" if target.entry.inter == 6 else "Attack"
            if target is not None and target.entry.inter in _ARMED_INTER:
                return "Armed clash"
            if kind == "@outcome" and a1 is None and target is None:
                return None
            if a1 is not None and a1.entry.inter in (3, 4) or trig.lemma_.lower() in ("raid", "invade"):
                return "Attack"
            return "Armed clash"
        if kind == "Armed clash" and a1 is not None and a1.entry.inter == 5 and (
                a2 is None or a2.entry.inter in (5, 7)):
            return "Mob violence"  # "supporters of the two candidates clashed"
        if kind == "Armed clash" and ((a1 is not None and a1.entry.inter in crowd)
                                      or (a2 is not None and a2.entry.inter in (5, 6))):
            return "Violent demonstration"
        if kind == "Looting/property destruction" and a1 is not None and a1.entry.inter in crowd:
            return "Violent demonstration"
        return kind if kind in self.codebook.sub_event_types else None

    def _air(self, roles: _Roles, a1: _Party | None, trig: Token | None = None) -> bool:
        """Is the attacker an aircraft or an air force ("Russian warplanes", "the air force")?"""
        texts = [t.text.lower() for t in roles.agent] + [
            " ".join(c.lower_ for c in t.subtree) for t in roles.agent]
        if a1 is not None:
            texts.append(a1.text.lower())
        if trig is not None:  # "Warplanes believed to be Russian and Syrian struck ..."
            for node in [trig, *list(trig.ancestors)[:3]]:
                texts.extend(t.lower_ for t in node.children
                             if t.dep_ == "nsubj" and t.lemma_.lower() in _AIR_WORDS)
        for a in roles.agent:
            if a.lemma_.lower() in ("strike", "raid") and self.air_context:
                texts.append("aircraft")  # "a strike hit a residential street"
        blob = " ".join(texts)
        return bool(re.search(r"\b(air ?forces?|warplanes?|war planes?|jets?|aircraft|helicopters?|"
                              r"drones?|planes?|gunships?|mig|sukhoi|bombers?)\b", blob))

    # ------------------------------------------------------------------ roles
    def _roles(self, tok: Token, roles: _Roles) -> None:
        lex = self.lex
        is_kill = tok.lemma_.lower() in lex.kill_lemmas
        for c in tok.children:
            d = c.dep_
            if d == "nsubj":
                (roles.victims if tok.lemma_.lower() in ("die", "perish") or
                 (is_kill and _headline_passive(tok)) else roles.agent).extend(_with_conj(c))
            elif d == "nsubjpass" or d == "dobj":
                (roles.victims if is_kill else roles.patient).extend(_with_conj(c))
            elif d == "agent":
                roles.agent.extend(x for p in c.children if p.dep_ == "pobj" for x in _with_conj(p))
            elif d in ("amod", "compound", "poss", "nmod") and tok.pos_ == "NOUN":
                roles.agent.append(c)
            elif d in ("acl", "relcl") and tok.pos_ == "NOUN" and c.tag_ == "VBN":
                roles.agent.extend(x for a in c.children if a.dep_ == "agent"  # "shells fired by ISIS"
                                   for x in a.children if x.dep_ == "pobj")
            elif d == "prep":
                self._prep(tok, c, roles)
            elif d in ("advcl", "acl", "xcomp") and c.lemma_.lower() in _ASSOC | {"back", "support"}:
                roles.assoc.extend(x for p in c.children if p.dep_ in ("agent", "prep")
                                   for x in p.children if x.dep_ == "pobj")
            elif d in ("advcl", "acl") and c.lemma_.lower() in lex.kill_lemmas:
                dead = [g for g in c.children if g.dep_ in ("dobj", "nsubjpass")]
                for g in dead or _counted_after(c):
                    roles.victims.extend(_with_conj(g))
        for p in list(roles.patient):  # "took over the positions vacated by the group / HTS left"
            for c in p.children:
                if c.dep_ in ("acl", "relcl") and c.lemma_.lower() in _VACATE:
                    roles.opponent.extend(x for a in c.children if a.dep_ == "agent"
                                          for x in a.children if x.dep_ == "pobj")
                    roles.opponent.extend(x for x in c.children if x.dep_ == "nsubj"
                                          and x.lower_ not in ("that", "which", "who"))
        # noun trigger: the governing verb's subject/object; a participle's head noun
        head = tok.head
        if tok.pos_ in ("NOUN", "PROPN") and head.i != tok.i:
            if tok.dep_ in ("dobj", "pobj") and head.pos_ == "VERB" and head.lemma_.lower() in _LIGHT_VERBS:
                roles.agent.extend(x for c in head.children if c.dep_ == "nsubj" for x in _with_conj(c))
                for c in head.children:
                    if c.dep_ == "prep":
                        self._prep(head, c, roles)
            elif tok.dep_ == "nsubj" and head.pos_ == "VERB":
                for c in head.children:
                    if c.dep_ == "dobj":
                        (roles.victims if head.lemma_.lower() in lex.kill_lemmas else roles.patient).extend(_with_conj(c))
                    elif c.dep_ == "prep":
                        self._prep(head, c, roles)
            elif tok.dep_ == "pobj" and head.dep_ == "prep":
                verb = head.head
                if verb.pos_ in ("VERB", "AUX"):
                    dead = verb.lemma_.lower() in ("die", "perish") or (
                        verb.lemma_.lower() in lex.kill_lemmas and _headline_passive(verb))
                    for c in verb.children:
                        if c.dep_ in ("nsubjpass",) or (c.dep_ == "nsubj" and dead):
                            roles.victims.extend(_with_conj(c))
                        elif c.dep_ == "nsubj" and head.lower_ == "under":
                            roles.patient.extend(_with_conj(c))  # "a convoy came under attack"
                        elif c.dep_ == "nsubj":
                            roles.agent.extend(_with_conj(c))
                        elif c.dep_ == "prep" and c.i != head.i:
                            self._prep(verb, c, roles)
        elif tok.pos_ == "VERB" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children):
            if tok.dep_ in ("conj", "xcomp", "advcl") and head.pos_ in ("VERB", "AUX"):
                subj = [c for c in head.children if c.dep_ == "nsubj" or (
                    c.dep_ == "nsubjpass" and tok.dep_ == "xcomp" and
                    head.lemma_.lower() in _RAISING)]  # "ISIS is said to have captured"
                up = head
                while not subj and up.dep_ in ("conj", "xcomp") and \
                        up.head.pos_ in ("VERB", "AUX") and up.head.i != up.i:
                    up = up.head  # "a convoy entered Idlib and began setting up a post"
                    subj = [c for c in up.children if c.dep_ == "nsubj"]
                roles.agent.extend(x for s in subj for x in _with_conj(s))
            elif tok.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN"):
                (roles.victims if is_kill and tok.tag_ == "VBN" else
                 roles.patient if tok.tag_ == "VBN" else roles.agent).append(head)
        if not roles.agent and tok.pos_ == "NOUN" and _is_transfer_word(self, tok):
            # "... left the outskirts of Arsal, completing the evacuation of Jurd Arsal": the
            # evacuation is done by the subject of the clause it completes
            cur = tok
            for _ in range(4):
                cur = cur.head
                if cur.pos_ == "VERB":
                    break
            if cur.pos_ == "VERB" and not any(c.dep_ == "nsubj" for c in cur.children) \
                    and cur.dep_ in ("advcl", "xcomp", "conj"):
                roles.agent.extend(c for c in cur.head.children if c.dep_ == "nsubj")
        if tok.lemma_.lower() == "fall":
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in ("to", "into"):
                    roles.agent.extend(p for p in c.children if p.dep_ == "pobj")
            roles.patient.extend(c for c in tok.children if c.dep_ == "nsubj")
            roles.agent[:] = [a for a in roles.agent if a.dep_ != "nsubj" or a.head != tok]

    def _prep(self, tok: Token, prep: Token, roles: _Roles) -> None:
        word = prep.lower_
        objs = [x for p in prep.children if p.dep_ == "pobj" for x in _with_conj(p)]
        if word in ("from", "against", "with", "on", "targeting", "between", "into", "of"):
            for o in objs:
                if self._is_place(o):
                    roles.places.append((o, word))
                elif word == "between":
                    roles.agent.append(o)
                elif word == "with" and o.lemma_.lower() in ("support", "help", "backing", "cover"):
                    roles.assoc.extend(x for p in o.children if p.dep_ == "prep"
                                       for x in p.children if x.dep_ == "pobj")
                elif word == "of" and tok.pos_ == "VERB":
                    continue
                elif word in ("on", "into") and tok.pos_ == "VERB":
                    roles.places.append((o, word))
                else:
                    roles.opponent.append(o)
        elif word in ("by",):
            roles.agent.extend(objs)
        elif word == "to" and objs and not any(self._is_place(o) for o in objs):
            roles.recipient.extend(objs)
        elif word in ("alongside",):
            roles.assoc.extend(objs)
        elif word in _LOC_PREPS or prep.pos_ == "ADP":
            for o in objs:
                roles.places.append((o, word))
                if o.lemma_.lower() in _UNIT_WORDS and self._inside(o) and tok.lemma_.lower() \
                        in _BLAST_WORDS:
                    roles.opponent.append(o)  # "exploded near a Popular Mobilization Forces patrol"
                if o.lemma_.lower() in _NEAR_WORDS | {"outskirt"}:
                    for p in o.children:
                        if p.dep_ == "prep":
                            roles.places.extend((x, "near") for x in p.children if x.dep_ == "pobj")
                if o.pos_ in ("NOUN",) and o.lemma_.lower() in ("clash", "fighting", "attack", "battle"):
                    for p in o.children:
                        if p.dep_ == "prep" and p.lower_ in ("with", "between", "against"):
                            roles.opponent.extend(x for q in p.children if q.dep_ == "pobj"
                                                  for x in _with_conj(q))

    def _is_place(self, tok: Token) -> bool:
        lo, hi = _span_chars(tok)
        if any(m.start >= lo and m.end <= hi for m in self.matches):
            return False
        return any(t.start >= tok.idx and t.end <= tok.idx + len(tok.text) + 40 and
                   t.start >= lo and t.end <= hi for t in self.toponyms) and tok.pos_ in ("PROPN",) \
            or tok.lemma_.lower() in ("town", "village", "city", "area", "position", "hill", "outskirt",
                                       "outpost", "checkpoint", "neighborhood", "neighbourhood",
                                       "district", "region", "province", "base", "barren")

    # ------------------------------------------------------------------ actors
    def _inside(self, tok: Token) -> list:
        """Actor matches in the phrase of ``tok``. A name that starts in the phrase and runs
        past it counts: the parser often hangs the tail of a long name elsewhere
        ("members of al-Qaeda | in the Arabian Peninsula")."""
        lo, hi = _span_chars(tok)
        return [m for m in self.matches if lo <= m.start < hi]

    def _parties(self, tok: Token, country: str | None, when: dt.date | None) -> list[_Party]:
        """Every named actor in the phrase ("HTS and Saraya Ahl al-Sham fighters"), else one."""
        if tok.pos_ != "PRON":
            inside = self._inside(tok)
            if len(inside) > 1:
                inside.sort(key=lambda m: (0 if m.start <= tok.idx < m.end else 1, m.start))
                return [_Party(m.entry, m.text) for m in inside]
        one = self._party(tok, country, when)
        return [one] if one is not None else []

    def _party(self, tok: Token, country: str | None, when: dt.date | None) -> _Party | None:
        if tok.pos_ == "PRON":
            return self._antecedent(tok, country, when)
        inside = self._inside(tok)
        own = self.actors.generic_kind([tok.lemma_.lower()])
        if inside and own is not None and own.kind in ("military", "police") and all(
                m.start > tok.idx for m in inside) and not any(
                c.dep_ == "prep" and c.lower_ in ("from",) for c in tok.children):
            # "Troops of the 21 Brigade and the Civilian JTF": the troops, not the allies after
            inside = []
        if inside:
            best = min(inside, key=lambda m: (0 if m.start <= tok.idx < m.end else 1,
                                               abs(m.start - tok.idx)))
            return _Party(best.entry, best.text)
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "nmod", "poss")]
        owner = next((c for c in mods if c.dep_ == "poss" and c.lower_ in ("its", "their")), None)
        own = self.actors.generic_kind([tok.lemma_.lower()])
        if owner is not None and ((own is not None and own.kind in ("military", "police"))
                                  or tok.lemma_.lower() in ("artillery", "gun", "launcher", "battery")):
            # "the army said its artillery shelled", "the Israeli military said its forces fired"
            held = self._antecedent(owner, country, when)
            if held is not None:
                return held
        demonym = [self.codebook.country_by_demonym(c.text) for c in mods]
        if tok.lemma_.lower() in _ANAPHORS and all(demonym) and any(
                c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
                for c in tok.children):
            # "the group", "the Lebanese group": the armed group of that country named last
            # before it (within 600 characters)
            homes = {d.iso2 for d in demonym if d is not None}
            before = [m for m in self.matches if m.end <= tok.idx and tok.idx - m.end < 600
                      and m.entry.inter in (2, 3) and (not homes or m.entry.country in homes)]
            if before:
                return _Party(before[-1].entry, tok.text)
        if tok.lemma_.lower() == "tank" and any(c.lemma_.lower() in _TANK_CONTENTS for c in mods):
            return None  # "damaging a water tank": no armour
        words = [f"{c.lemma_.lower()} {tok.lemma_.lower()}" for c in mods] + [
            tok.lemma_.lower(), tok.lower_]
        kind = self.actors.generic_kind(words)
        demonym_subject = tok.pos_ == "ADJ" and tok.dep_ in ("nsubj", "conj")
        if kind is None and (tok.dep_ in ("amod", "compound", "nmod", "poss") or demonym_subject) \
                and tok.text[:1].isupper():
            info = self.codebook.country_by_demonym(tok.text) or self.codebook.country(
                tok.text.removesuffix("'s"))
            if info is not None:  # "Syrian airstrikes", "Israeli shelling"
                entry = self.actors.generic("military", info.iso2, when)
                return _Party(entry, tok.text) if entry else None
        if kind is None:
            for c in tok.children:  # "an Islamist group led by Bilal Badr", "loyal to X"
                if c.dep_ == "acl" and c.lemma_.lower() in ("lead", "loyal", "affiliate", "link",
                                                            "command", "allied", "ally"):
                    for d in c.subtree:
                        hit = next((m for m in self.matches if m.start <= d.idx < m.end), None)
                        if hit is not None:
                            return _Party(hit.entry, hit.text)
            for c in tok.children:  # "fighters from ISIS", "members of Hezbollah"
                if c.dep_ == "prep" and c.lower_ in ("of", "from"):
                    for p in c.children:
                        if p.dep_ == "pobj":
                            inner = self._party(p, country, when)
                            if inner is not None:
                                return inner
            return None
        where = country
        for c in mods:
            capital = c.text[:1].isupper()
            info = (self.codebook.country_by_demonym(c.text) or self.codebook.country(c.text)) \
                if capital and (c.pos_ in ("ADJ", "PROPN") or c.dep_ == "poss") else None
            if info is None and c.dep_ == "poss" and capital:
                info = self.codebook.country(c.text.removesuffix("'s"))
            if info is not None:
                where = info.iso2
        if where is country and not mods and tok.lemma_.lower() in _AIR_WORDS:
            # "aircraft later hit ISIS fighters" after "a coalition spokesman said": the air force
            # named just before, if any
            flyers = [m for m in self.matches if m.end <= tok.idx and tok.idx - m.end < 300
                      and m.entry.inter in (1, 8) and not m.entry.state]
            if flyers:
                return _Party(flyers[-1].entry, tok.text)
        if kind.kind == "unidentified" and tok.lemma_.lower() in _GROUP_MEMBERS and not any(
                c.lemma_.lower() in _UNKNOWN_WORDS or (c.dep_ in ("compound", "amod", "nmod")
                                                       and c.text[:1].isupper())
                for c in tok.children):  # not "Bunyan Marsous fighters": another group
            group = self._only_group()
            if group is not None:  # "militants" in a report about one armed group: its men
                return _Party(group, tok.text)
        entry = self.actors.generic(kind.kind, where, when)
        if entry is None:
            return None
        return _Party(entry, tok.text)

    def _only_group(self) -> ActorEntry | None:
        """The one non-state armed group the article names, if it names exactly one."""
        groups = {m.entry.name: m.entry for m in self.matches
                  if m.entry.inter in (2, 3) and not m.entry.name.startswith("Unidentified")}
        return next(iter(groups.values())) if len(groups) == 1 else None

    def _antecedent(self, tok: Token, country: str | None, when: dt.date | None) -> _Party | None:
        if tok.lower_ not in ("it", "they", "them", "its", "their"):
            return None
        # the subject of the reporting verb ("the army said it had shelled")
        cur = tok.head
        for _ in range(4):
            if cur.lemma_.lower() in self.lex.report_verbs | self.lex.claim_verbs:
                owner = cur
                if not any(c.dep_ == "nsubj" for c in cur.children) and cur.dep_ == "conj":
                    owner = cur.head  # "Hezbollah launched ... and said it captured ..."
                for c in owner.children:
                    if c.dep_ == "nsubj" and c.pos_ != "PRON":
                        return self._party(c, country, when)
            if cur.head.i == cur.i:
                break
            cur = cur.head
        before = [m for m in self.matches if m.end <= tok.idx and tok.idx - m.end < 400]
        if before:
            return _Party(before[-1].entry, before[-1].text)
        return None

    # ------------------------------------------------------------------ place / date
    def _location(self, sent: Span, roles: _Roles, trig: Token, *,
                  objects_first: bool = False) -> tuple[Toponym | None, bool, bool]:
        """Where the event happened: a place tied to the trigger (by a preposition, or as
        its object), else the nearest place of the sentence, of the paragraph, of the article.
        ``objects_first``: ground taken is where it happened ("captured the Daher
        el-Khanzeer Hills ... in the outskirts of Ras Baalbek": the hills)."""
        in_sent = [t for t in self.toponyms if sent.start_char <= t.start < sent.end_char
                   and not self._in_actor(t) and not self._in_source(t, trig)]
        objects = [(p, "obj") for p in roles.patient]
        candidates: list[tuple[Token, str]] = (objects + list(roles.places) if objects_first
                                               else list(roles.places) + objects)
        for tok, word in candidates:
            lo, hi = _span_chars(tok)
            tied = [t for t in in_sent if lo <= t.start and t.end <= hi
                    and not self._in_background_clause(t, trig)]
            if not tied:  # a name the geoparser placed elsewhere in the article ("near Qara")
                tied = [t for t in self._known_names(lo, hi) if not self._in_background_clause(t, trig)]
            if tied:
                best = min(tied, key=lambda t: abs(t.start - tok.idx))
                near = word in _NEAR_WORDS or word == "near" or self._near_context(best)
                return best, near, True
        if in_sent:
            # not a place inside a background clause ("soldiers captured ... in Arsal in 2014")
            current = [t for t in in_sent if not self._in_background_clause(t, trig)] or in_sent
            local = [t for t in current if t.place.feature_code not in ("PCLI", "PCL")] or current
            best = min(local, key=lambda t: abs(t.start - trig.idx))
            return best, self._near_context(best), False
        found = self._look_up(sent, candidates)
        if found is not None:
            return found, self._near_context(found), True
        para = self._paragraph(sent.start_char)
        in_para = [t for t in self.toponyms if self._paragraph(t.start) == para
                   and t.start < sent.start_char and not self._in_actor(t)]
        if in_para:
            return in_para[-1], self._near_context(in_para[-1]), False
        return self.focus_toponym, False, False

    def _look_up(self, sent: Span, candidates: list[tuple[Token, str]]) -> Toponym | None:
        """A place name tied to the event that the geoparser left unresolved ("into
        Mogadishu's Hamar Weyne district"), looked up exactly in the article's country."""
        gaz = self.ex.gazetteer
        want = self.text_country or self.focus_country
        if gaz is None or want is None:
            return None
        spans = [_span_chars(tok) for tok, _ in candidates]
        for ent in sent.ents:
            if ent.label_ not in ("GPE", "LOC", "FAC") or not any(
                    lo <= ent.start_char and ent.end_char <= hi for lo, hi in spans):
                continue
            if any(m.start <= ent.start_char < m.end for m in self.matches):
                continue
            name = re.sub(r"'s$", "", ent.text)
            try:
                hits = gaz.lookup(name, countries=[want], limit=1, fuzzy=False)
            except (FrontlinesError, sqlite3.Error):
                return None
            if hits:
                return Toponym(text=name, start=ent.start_char, end=ent.start_char + len(name),
                               place=hits[0].place, reason=f"events: exact name in {want}, the "
                               "text's country (left unresolved by the geoparser)", geo_precision=1)
        return None

    def _in_background_clause(self, topo: Toponym, trig: Token) -> bool:
        span = self.doc.char_span(topo.start, topo.end, alignment_mode="expand")
        if span is None:
            return False
        cur = span.root
        for _ in range(10):
            if cur.i == trig.i or cur.head.i == cur.i:
                return False
            if cur.dep_ in ("relcl", "acl") and trig not in cur.subtree:
                return True
            cur = cur.head
        return False

    def _known_names(self, lo: int, hi: int) -> list[Toponym]:
        """Mentions in ``text[lo:hi]`` of a name resolved elsewhere in the article."""
        out = []
        seen = {t.text: t for t in self.toponyms if not self._in_actor(t)}
        for name, topo in seen.items():
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", self.text[lo:hi]):
                start = lo + m.start()
                if any(a.start <= start < a.end for a in self.matches):
                    continue
                out.append(topo.replace(start=start, end=start + len(name)))
        return out

    def _near_context(self, topo: Toponym) -> bool:
        before = self.text[max(0, topo.start - 40):topo.start].lower()
        return bool(re.search(r"(near|around|outside|outskirts of|vicinity of|close to|"
                              r"(north|south|east|west)(east|west)?(ern)? (of|outskirts of)|"
                              r"countryside of|edge of|surroundings of|barrens of|hills of)\s+"
                              r"(the\s+)?(town of\s+|village of\s+|city of\s+)?$", before))

    def _in_source(self, topo: Toponym, trig: Token) -> bool:
        """The place names who reports the event, not where it happened ("..., Gaza health
        officials said", "Aleppo activists told ...")."""
        span = self.doc.char_span(topo.start, topo.end, alignment_mode="expand")
        if span is None:
            return False
        tok, lex = span.root, self.lex
        for _ in range(6):
            if tok.i == trig.i or tok.head.i == tok.i:
                return False
            if tok.dep_ == "nsubj" and tok.head.pos_ == "VERB" and \
                    tok.head.lemma_.lower() in lex.report_verbs | lex.claim_verbs and \
                    not _is_ancestor(tok, trig):
                return True
            tok = tok.head
        return False

    def _in_actor(self, topo: Toponym) -> bool:
        return any(m.start <= topo.start and topo.end <= m.end for m in self.matches)

    def _paragraph(self, char: int) -> int:
        k = 0
        for i, s in enumerate(self.paragraph_starts):
            if s <= char:
                k = i
        return k

    def _date(self, sent: Span, trig: Token) -> DateMention | None:
        in_sent = [d for d in self.dates if sent.start_char <= d.start < sent.end_char]
        if in_sent:
            current = [d for d in in_sent if not d.background] or in_sent
            return min(current, key=lambda d: abs(d.start - trig.idx))
        para = self._paragraph(sent.start_char)
        earlier = [d for d in self.dates if d.end <= sent.start_char and not d.background
                   and self._paragraph(d.start) == para]
        if earlier:
            return earlier[-1]
        title_end = len(self.article.title or "") if self.article.title else 0
        early = [d for d in self.dates if d.end <= sent.start_char and not d.background
                 and (d.start < title_end or self._paragraph(d.start) <= 1)]
        return early[-1] if early else None

    # ------------------------------------------------------------------ fatalities
    def _fatalities(self, members: list[TriggerHit], roles: _Roles) -> int:
        lex = self.lex
        counted: set[int] = set()
        total = 0
        kills: list[Token] = []
        own = {i for h in members for i in range(h.start, h.end)} | {h.head for h in members}
        for hit in members:
            tok = self.doc[hit.head]
            kills.extend(t for t in self.doc[tok.sent.start:tok.sent.end]
                         if t.lemma_.lower() in lex.kill_lemmas and not self._blocked(t)
                         # several events in one sentence: each keeps the deaths grouped with it
                         and (not getattr(self, "_shared_sentence", False) or t.i in own))
        seen_kill: set[int] = set()
        tolls: list[int] = []
        loose = 0
        for k in kills:
            if k.i in seen_kill:
                continue
            seen_kill.add(k.i)
            n = self._count_kill(k, counted)
            if k.lemma_.lower() == "toll" or any(c.lower_ == "toll" for c in k.children):
                if n:
                    tolls.append(n)  # "put the toll at 70": another figure for the same dead
            elif k.pos_ == "NOUN" and k.lemma_.lower() in ("death", "fatality", "casualty") and not any(
                    c.dep_ == "nummod" for c in k.children):
                loose += n  # "the first fatalities of the offensive": the dead counted elsewhere
            else:
                total += n
        if tolls:  # differing figures: the most conservative
            total = min(total, *tolls) if total else min(tolls)
        return total or loose

    def _count_kill(self, k: Token, counted: set[int]) -> int:
        lemma = k.lemma_.lower()
        victims: list[Token] = []
        if lemma in ("toll", "death") and any(c.lower_ in ("toll",) for c in k.children) or lemma == "toll":
            verb = k.head
            for c in list(verb.children) + list(k.children):
                if c.dep_ == "prep" and c.lower_ in ("to", "at", "of"):
                    victims.extend(p for p in c.children if p.dep_ == "pobj")
                if c.dep_ in ("attr", "nummod", "dobj"):
                    victims.append(c)
        elif lemma in ("death", "fatality", "body", "corpse", "martyr", "dead") and k.pos_ in ("NOUN", "PROPN"):
            victims.append(k)
        elif lemma == "dead" and k.pos_ == "ADJ":
            if k.dep_ == "amod":
                victims.append(k.head)
            elif k.dep_ in ("oprd", "xcomp", "acomp", "ccomp"):
                # "troops shot dead 24 protesters": the object died, not the shooters;
                # "two men were found dead", "he fell dead": the subject
                objects = [c for c in k.head.children if c.dep_ in ("dobj", "nsubjpass")]
                victims.extend(objects or [c for c in k.head.children if c.dep_ == "nsubj"])
                if not victims and k.head.dep_ == "acl":
                    victims.append(k.head.head)
            else:
                victims.extend(c for c in k.children if c.dep_ in ("nsubj", "npadvmod", "nummod"))
        elif k.pos_ in ("VERB", "AUX") or k.tag_.startswith("VB"):
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in k.children) or \
                _headline_passive(k)
            for c in k.children:
                if c.dep_ == "nsubjpass" or (c.dep_ == "dobj" and not passive) or (
                        c.dep_ == "nsubj" and passive):
                    victims.extend(_with_conj(c))
                elif c.dep_ == "nsubj" and lemma in ("die", "perish", "lose"):
                    if lemma == "lose":
                        if any(d.lemma_.lower() == "life" for d in k.children if d.dep_ == "dobj"):
                            victims.extend(_with_conj(c))
                    else:
                        victims.extend(_with_conj(c))
            if not victims and k.dep_ in ("acl", "amod") and k.tag_ == "VBN":
                victims.append(k.head)
            if not victims and k.tag_ == "VBG":
                victims.extend(_counted_after(k))
            if not victims and k.dep_ == "conj" and passive is False:
                victims.extend(c for c in k.head.children if c.dep_ == "nsubjpass")
        total = 0
        for v in victims:
            if v.i in counted:
                continue
            counted.add(v.i)
            n = self._quantity(v)
            if n:
                total += n
        return total

    def _quantity(self, v: Token) -> int:
        vague = self.lex.vague
        if v.like_num or v.pos_ == "NUM":
            n = parse_number(v.text)
            if n is not None:
                for c in v.children:  # "between 5 and 8": conservative, the lower
                    if c.dep_ == "conj" and (m := parse_number(c.text)) is not None:
                        n = min(n, m)
                return n
        low = v.lower_
        if low in vague:
            return vague[low]
        nums = [c for c in v.children if c.dep_ == "nummod"]
        for c in nums:
            n = parse_number(c.text)
            alt = [parse_number(x.text) for x in c.children if x.dep_ == "conj"]
            alt = [a for a in alt if a is not None]
            if n is not None:
                return min([n, *alt])
            if c.lower_ in vague:
                return vague[c.lower_]
        for c in v.children:
            if c.dep_ in ("amod", "det") and c.lower_ in vague:
                return vague[c.lower_]
            if c.dep_ in ("amod", "det") and c.lower_ == "few":
                return vague["a few"]
        if v.lemma_.lower() in ("toll",):
            return 0
        if v.pos_ == "PRON":
            return 1 if v.lower_ in ("he", "she", "him", "her") else vague.get("plural", 2)
        if v.tag_ in ("NNS", "NNPS"):
            return vague.get("plural", 2)
        if v.pos_ in ("NOUN", "PROPN"):
            if v.lemma_.lower() in ("death", "fatality", "body", "dead", "casualty"):
                return vague.get("plural", 2) if v.tag_ == "NNS" else 0
            return 1
        return 0

    # ------------------------------------------------------------------ attribution
    def _attribution(self, sent: Span, trig: Token) -> tuple[str, str]:
        lex = self.lex
        text_low = sent.text.lower()
        words = {t.lower_ for t in sent}
        source, certainty = "", "asserted"
        m = re.search(r"according to ([^,.;]+)", sent.text, re.IGNORECASE)
        if m:
            source, certainty = m.group(1).strip(), "reported"
        else:
            for t in sent:
                lemma = t.lemma_.lower()
                if t.pos_ in ("VERB",) and (lemma in lex.report_verbs or lemma in lex.claim_verbs) \
                        and t.i != trig.i:
                    subj = [c for c in t.children if c.dep_ == "nsubj"]
                    if not subj:
                        continue
                    linked = _is_ancestor(t, trig) or _is_ancestor(trig, t) or t.head == trig.head
                    if not linked:
                        continue
                    s = subj[0]
                    source = self.doc[s.left_edge.i:s.right_edge.i + 1].text
                    certainty = "claimed" if lemma in lex.claim_verbs else "reported"
                    if certainty == "reported":
                        named = [a for a in self.matches
                                 if s.left_edge.idx <= a.start < s.right_edge.idx + len(s.right_edge)]
                        media = any(w in lex.media_words for w in source.lower().split())
                        if named and not media and "responsibility" not in text_low:
                            certainty = "claimed"
                    break
        if "claimed responsibility" in text_low or "claim responsibility" in text_low:
            certainty = "claimed"
        if words & lex.possible_words:
            certainty = "possible" if certainty == "asserted" or "allegedly" in words else certainty
            if certainty == "asserted":
                certainty = "possible"
            if "reportedly" in words and not source:
                certainty = "reported"
        return source, certainty

    # ------------------------------------------------------------------ events
    def to_events(self, candidates: list[_Candidate]) -> list[Event]:
        merged: dict[tuple, tuple[_Candidate, int]] = {}
        order: list[tuple] = []
        for c in candidates:
            when = c.date.date if c.date else self.published
            place = c.toponym.place.geonameid if c.toponym and c.toponym.place else None
            country = c.toponym.place.country_code if c.toponym and c.toponym.place else None

            pair = (self._shown(c.actor1, country, when), self._shown(c.actor2, country, when))
            if c.sub_event_type == "Agreement":  # a deal binds both sides: order is no identity
                pair = tuple(sorted(pair))
            key = (c.sub_event_type, *pair, place, when)
            if key in merged:
                first, fat = merged[key]
                merged[key] = (first, max(fat, c.fatalities))
                for p in c.assoc1:
                    if all(p.entry.name != q.entry.name for q in first.assoc1):
                        first.assoc1.append(p)
            else:
                merged[key] = (c, c.fatalities)
                order.append(key)
        # "Our units have taken Halimat Qara" after "The army captured Halimat Qara from ISIS":
        # the same event with its second actor unsaid
        for k in order:
            unknown = any(x.startswith("Unidentified") for x in k[1:3])
            if k not in merged or (k[2] and not unknown):
                continue
            twin = None if k[2] else next((o for o in order if o != k and o in merged and o[0] == k[0]
                                           and o[1] == k[1] and o[2] and o[3:] == k[3:]), None)
            if twin is None and unknown:
                # "ISIS handed over the bodies ... and released a captured member": one deal
                twin = next((o for o in order if o != k and o in merged and o[0] == k[0]
                             and o[3:] == k[3:] and not any(x.startswith("Unidentified") for x in o[1:3])
                             and merged[o][0].sentence == merged[k][0].sentence),
                            None)
            if twin is not None:
                first, fat = merged[twin]
                merged[twin] = (first, max(fat, merged[k][1]))
                del merged[k]
        return [self._event(*merged[k]) for k in order if k in merged]

    def _shown(self, p: _Party | None, country: str | None, when: dt.date | None) -> str:
        return self.actors.display_name(p.entry, event_country=country, when=when) if p else ""

    def _event(self, c: _Candidate, fatalities: int) -> Event:
        cb, actors = self.codebook, self.actors
        when = c.date.date if c.date else self.published
        assert when is not None
        place: Place | None = c.toponym.place if c.toponym else None
        country_code = place.country_code if place else (self.focus_country or (
            c.actor1.entry.country if c.actor1 else None))
        country = cb.country(country_code) if country_code else None
        sub = cb.sub_event(c.sub_event_type)

        def name(p: _Party | None) -> str:
            return actors.display_name(p.entry, event_country=country_code, when=when) if p else ""

        def inter(p: _Party | None) -> int:
            return actors.inter_in(p.entry, country_code) if p else 0

        if c.actor2 is not None and name(c.actor2) == name(c.actor1):
            c.actor2 = None  # "the Lebanese Army reinforced its positions": one side, not two
        inter1, inter2 = inter(c.actor1), inter(c.actor2)
        precision = 3
        if c.toponym is not None:
            precision = c.toponym.geo_precision or (
                1 if place and place.feature_class == "P" else 3 if place and place.feature_class == "A"
                else 2)
            if c.near and precision < 2:
                precision = 2
            if place and place.feature_class == "A" and place.feature_code != "ADM3":
                precision = 3
        a1, a2 = name(c.actor1), name(c.actor2)
        assoc1 = "; ".join(name(p) for p in c.assoc1)
        location = place.name if place else ""
        sent_text = " ".join(c.sentence.text.split())
        event_id = (country.iso3 if country else "XXX") + content_id(
            self.article.id, sub.name, a1, a2, location, when.isoformat(), length=10).upper()
        confidence = 0.45 + 0.15 * (c.actor1 is not None) + 0.1 * (c.actor2 is not None) \
            + 0.15 * c.attached + 0.1 * (c.date is not None and c.date.kind == "explicit") \
            - 0.15 * (c.certainty == "possible") + 0.05 * (place is not None)
        party_actors = tuple(
            Actor(name=name(p), inter=inter(p), country=p.entry.country, text=p.text)
            for p in [c.actor1, *c.assoc1, c.actor2] if p is not None)
        return Event(
            event_id_cnty=event_id, event_date=when, year=when.year,
            time_precision=c.date.precision if c.date else 1,
            disorder_type=sub.disorder_type, event_type=sub.event_type, sub_event_type=sub.name,
            actor1=a1, assoc_actor_1=assoc1, inter1=inter1, actor2=a2,
            assoc_actor_2="; ".join(name(p) for p in c.assoc2), inter2=inter2,
            interaction=interaction_code(inter1, inter2),
            civilian_targeting=cb.civilian_targeting(sub.name, inter2),
            iso=country.numeric if country else 0, iso3=country.iso3 if country else "",
            region=country.region if country else "", country=country.name if country else "",
            admin1=(place.admin1 or "") if place else "", admin2=(place.admin2 or "") if place else "",
            location=location, latitude=place.latitude if place else None,
            longitude=place.longitude if place else None, geo_precision=precision,
            source=self.article.source or "", notes=_notes(sent_text, when),
            fatalities=fatalities, article_id=self.article.id, sentence=sent_text,
            char_start=c.sentence.start_char, char_end=c.sentence.end_char,
            trigger=c.trigger.text, confidence=round(max(0.05, min(1.0, confidence)), 2),
            claim_source=c.claim_source, certainty=c.certainty,
            geonameid=place.geonameid if place else None, actors=party_actors)


@dataclass
class _Roles:
    agent: list[Token] = field(default_factory=list)
    patient: list[Token] = field(default_factory=list)
    opponent: list[Token] = field(default_factory=list)
    assoc: list[Token] = field(default_factory=list)
    victims: list[Token] = field(default_factory=list)
    recipient: list[Token] = field(default_factory=list)
    places: list[tuple[Token, str]] = field(default_factory=list)


_COUNTRY_RE: dict[int, re.Pattern[str]] = {}


def _country_regex(codebook: Codebook) -> re.Pattern[str]:
    key = id(codebook)
    if key not in _COUNTRY_RE:
        names = [c.name for c in codebook.countries] + [a for c in codebook.countries for a in c.aliases]
        names += [d for c in codebook.countries for d in c.demonyms]
        _COUNTRY_RE[key] = re.compile(r"\b(?:" + "|".join(
            re.escape(n) for n in sorted(set(names), key=len, reverse=True) if len(n) > 2) + r")\b")
    return _COUNTRY_RE[key]


def _sentences(doc: Doc):
    """spaCy's sentences, also cut at blank lines (title / paragraphs)."""
    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if tok.is_space and "\n" in tok.text and tok.i > start:
                yield doc[start:tok.i]
                start = tok.i + 1
        if start < sent.end:
            yield doc[start:sent.end]


def _in_assoc(tok: Token) -> bool:
    """Inside "backed by ...", "supported by ...", "with support from ..."."""
    cur = tok
    for _ in range(4):
        if cur.head.i == cur.i:
            return False
        cur = cur.head
        if cur.lemma_.lower() in ("back", "support", "assist", "aid", "cover", "help"):
            return True
    return False


def _is_transfer_word(ctx: _Context, tok: Token) -> bool:
    """Is ``tok`` a withdrawal/evacuation word (a Non-violent transfer trigger)?"""
    return any(h.spec.type == "Non-violent transfer of territory"
               for h in ctx.lex.match(ctx.doc[tok.i:tok.i + 1]))


def _counted_after(verb: Token) -> list[Token]:
    """The counted noun right after a kill verb the parser left without an object ("...,
    killing at least 35 people, residents and medics said": "people" was made the subject
    of "said")."""
    for t in verb.doc[verb.i + 1:min(verb.i + 7, verb.sent.end)]:
        if t.pos_ in ("NOUN", "PROPN") and any(c.dep_ == "nummod" for c in t.children):
            return [t]
        if t.pos_ in ("VERB", "AUX") or t.text in (",", ";", "."):
            break
    return []


def _headline_passive(verb: Token) -> bool:
    """A kill verb written as in a headline, its "were" left out ("Two killed and 30 wounded
    in clashes", "Three soldiers killed in ambush"): the subject is the victim."""
    if not any(c.dep_ == "nsubj" for c in verb.children):
        return False
    if any(c.dep_ in ("dobj", "aux", "auxpass", "nsubjpass") for c in verb.children):
        return False
    if verb.tag_ == "VBN":
        return True
    subject = next(c for c in verb.children if c.dep_ == "nsubj")
    return subject.tag_ == "CD"  # "12 killed and four injured": a bare number killed nobody


def _in_relcl(tok: Token) -> bool:
    """Inside a relative clause ("the group, which stayed out of the fighting")."""
    cur = tok
    for _ in range(8):
        if cur.dep_ == "relcl":
            # "..., where a hospital was hit by an airstrike": a place's clause tells the event
            return not any(c.lower_ in ("where", "when") for c in cur.children)
        if cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _with_conj(tok: Token) -> list[Token]:
    return [tok, *(c for c in tok.conjuncts if c.i > tok.i)]


def _span_chars(tok: Token) -> tuple[int, int]:
    """Characters of a token's phrase, without relative clauses and appositions."""
    skip = {"relcl", "acl", "advcl", "appos", "punct", "cc", "conj"}
    lo, hi = tok.idx, tok.idx + len(tok.text)
    stack = [c for c in tok.children if c.dep_ not in skip]
    while stack:
        t = stack.pop()
        lo, hi = min(lo, t.idx), max(hi, t.idx + len(t.text))
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "advcl"))
    return lo, hi


def _is_ancestor(a: Token, b: Token) -> bool:
    return any(x.i == a.i for x in b.ancestors)


def _linked(a: Token, b: Token) -> bool:
    """Same clause: one governs the other without crossing a clause boundary with a marker."""
    for x, y in ((a, b), (b, a)):
        cur = x
        for _ in range(5):
            if cur.head.i == cur.i:
                break
            if cur.dep_ in ("conj", "ccomp", "parataxis", "relcl"):
                break
            if cur.dep_ == "advcl" and any(c.dep_ == "mark" for c in cur.children):
                break
            cur = cur.head
            if cur.i == y.i:
                return True
    return False


_LEADING_DATE = re.compile(r"^(on|early on|late on|in the early hours of|overnight on)\s+[^,]{3,40},\s*",
                           re.IGNORECASE)


def _notes(sentence: str, when: dt.date) -> str:
    body = _LEADING_DATE.sub("", sentence).strip()
    if body and body[0].isupper() and not re.match(r"^(?:[A-Z]{2,}|[A-Z][a-z]+(?:\s+[A-Z]))", body):
        body = body[0].lower() + body[1:]
    text = f"On {when.day} {when:%B %Y}, {body}"
    if len(text) > 400:
        text = text[:397].rsplit(" ", 1)[0] + "..."
    return text if text.endswith((".", "...")) else text + "."
