"""Toponym resolution: gazetteer candidates, then a ranking that reads the whole article.

Retrieval (``Resolver.candidates``) asks the gazetteer for the name, the name without its
head word ("Kanzouha Hills" -> "Kanzouha"), known country aliases ("U.S.", "DRC") and, when
nothing matches exactly, a fuzzy retry. Ranking (``rank``) is pure: it weighs

* name-match quality (exact > key > fuzzy; the full name over the stripped one),
* fit of feature class to the expression ("... Hills" -> T, "camp" -> S/P; a country name
  -> the country, never a hotel of the same name),
* importance (population, capitals, admin level, number of alternate names),
* the article's country focus (countries named, demonyms, unambiguous places) and its
  first-level-division focus ("Edgar County" and "Urbana" make "Paris" the one in Illinois);
  a country shares the focus of its own divisions and places,
* containment written out: "Athens, Ga.", "Paris, Texas" (a name, a comma, then a division
  or country holding one of its candidates),
* spatial coherence with the article's other confidently placed toponyms.

Mentions of one name never vote for each other or anchor each other (three "Georgia"s are
not three pieces of evidence for the country). Edit-distance (fuzzy) matches are used only
inside the countries the article is about, found by the first pass. It runs in passes: a
context-free pass that finds anchors, then passes with focus and coherence. A name with no candidate falls back to the resolved place it is tied to in its
sentence ("hills near Ras Baalbek") at ACLED geo_precision 2; one failed name never
empties the article.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from frontlines.geo import haversine_km
from frontlines.geoparse._lexicon import Lexicon, fold
from frontlines.geoparse.containment import contain
from frontlines.geoparse.passes import (
    _by_name,
    _containers,
    _drop_far_loose,
    _field,
    _keep_coherent,
    _name_parts,
)
from frontlines.geoparse.rank import (  # noqa: F401 - coherence, nearness: re-exported
    _DIRECTIONS,
    _REGION_CODES,
    FUZZY_FOCUS,
    Context,
    Option,
    Scored,
    _confidence,
    _is_code,
    _is_country,
    _known_otherwise,
    _sentence_around,
    coherence,
    nearness,
    _similarity,
    _surface_similarity,
    geo_precision,
    rank,
)
from frontlines.geoparse.recognize import ToponymMatch
from frontlines.geoparse.sanity import sane
from frontlines.model import Place, Toponym

SPARSE_PLACES = 1000  # a country with fewer populated places is barely covered (Yemen offline)

__all__ = ["Context", "Option", "Resolver", "Scored", "geo_precision", "haversine_km", "rank"]


class Resolver:
    """Resolve ``ToponymMatch`` records of one article to places, with context."""

    def __init__(self, gazetteer, *, lexicon: Lexicon | None = None,
                 cache_size: int = 50_000, region: Sequence[str] = ()) -> None:
        self.gazetteer = gazetteer
        self.region = tuple(region)  # area of interest (ISO2), a prior over countries
        self.lexicon = lexicon or Lexicon.load()
        self._cache: dict[tuple[str, bool, tuple[str, ...]], list[Option]] = {}
        self._cache_size = cache_size
        self._countries: dict[str, Place | None] = {}
        self._coverage: dict[str, int] = {}

    # --- retrieval (I/O) ----------------------------------------------------------------
    def _lookup(self, name: str, *, fuzzy: bool, stripped: bool = False,
                countries: tuple[str, ...] = ()) -> list[Option]:
        key = (name, fuzzy, countries)
        if key not in self._cache:
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            found = self.gazetteer.lookup(name, limit=25, fuzzy=fuzzy,
                                          countries=list(countries) or None)
            self._cache[key] = [
                Option(c.place, c.matched_name, c.match, float(c.similarity),
                       int(getattr(c, "alt_names", 0) or 0), via=name)
                for c in found]
        options = self._cache[key]
        if stripped:
            options = [Option(o.place, o.matched_name, o.match, o.similarity, o.alt_names,
                              via=o.via, stripped=True) for o in options]
        return options

    def country(self, code: str) -> Place | None:
        if code not in self._countries:
            self._countries[code] = self.gazetteer.country(code)
        return self._countries[code]

    def _sparse(self, code: str) -> bool:
        """The gazetteer barely covers country ``code`` (fewer than SPARSE_PLACES towns)."""
        if code not in self._coverage:
            count = getattr(self.gazetteer, "place_count", None)
            self._coverage[code] = count(code) if count else SPARSE_PLACES
        return self._coverage[code] < SPARSE_PLACES

    def _named(self, name: str, *, stripped: bool = False) -> list[Option]:
        """Country aliases and regions.csv entries answering to ``name``."""
        options = []
        code = self.lexicon.country_aliases.get(fold(name))
        place = self.country(code) if code else None
        if place is not None:
            options.append(Option(place, name, "alias", 1.0, 0, via=name, stripped=stripped))
        for place in self.lexicon.regions.get(fold(name), ()):
            options.append(Option(place, name, "alias", 1.0, 0, via=name, stripped=stripped))
        return options

    def candidates(self, match: ToponymMatch, *, fuzzy_in: tuple[str, ...] | None = None,
                   parts: bool = False) -> list[Option]:
        """Gazetteer options for one toponym: alias, name, stripped name (without its head
        word or a leading direction: "Northeast Georgia" -> "Georgia"), then fuzzy.

        Fuzzy (edit-distance) matching runs only when ``fuzzy_in`` names countries, and only
        inside them: a misspelling is trusted where the article already is, not worldwide
        ("Harwinton" is no "Harrington" anywhere on earth)."""
        name = match.text
        if fold(name).startswith("the "):
            name = name[4:]
        options = self._named(name) + self._lookup(name, fuzzy=False)
        variants = []
        if match.stripped and fold(match.stripped) != fold(name):
            variants.append(match.stripped)
        words = name.split()
        if len(words) > 1 and fold(words[0]) in _DIRECTIONS:
            variants.append(" ".join(words[1:]))
        exact = any(o.match in ("exact", "alias") for o in options)
        for variant in variants:
            if not exact or variant == match.stripped:
                options += self._named(variant, stripped=True)
                options += self._lookup(variant, fuzzy=False, stripped=True)
        if fuzzy_in and not any(o.match in ("exact", "key", "alias") for o in options):
            loose = self._lookup(name, fuzzy=True)
            for variant in variants:
                loose += self._lookup(variant, fuzzy=True, stripped=True)
            options += [o for o in loose if o.place.country_code in fuzzy_in]
        if not options and parts:
            options = self._part_options(name)
        exact = any(o.match in ("exact", "alias") and not o.stripped for o in options)
        best: dict[int, Option] = {}
        order = {"alias": 0, "exact": 1, "key": 2, "fuzzy": 3}
        for o in options:
            if o.match == "fuzzy" and _surface_similarity(o.via, o.matched_name) < 0.85:
                continue
            if o.match == "key" and _similarity(o) < (0.85 if exact else 0.5):
                continue  # a key collision ("Qaa" ~ "KYE"), not a spelling of the name
            if o.stripped and (o.match == "fuzzy" or (o.match == "key" and (
                    _similarity(o) < 0.75 or _surface_similarity(o.via, o.matched_name) < 0.85))):
                continue  # a part of the name, loosely matched: "Red (River)" ~ "Riyadh"
            if o.match in ("exact", "key") and _is_code(o.matched_name) and \
                    not _is_code(o.via.replace(".", "")):
                continue  # "Ind." is Indiana, not India's code "IND"
            kept = best.get(o.place.geonameid)
            if kept is None or (o.stripped, order.get(o.match, 4), -o.similarity) < (
                    kept.stripped, order.get(kept.match, 4), -kept.similarity):
                best[o.place.geonameid] = o
        return list(best.values())

    def _part_options(self, name: str) -> list[Option]:
        """A name the gazetteer lacks, read through its longest known part: "Titus County
        Jail" -> "Titus County", "Paris-Henry County" -> both, "City of Norfolk" ->
        "Norfolk". Exact names only, marked stripped (the place is approximate)."""
        found: list[Option] = []
        parts = _name_parts(name, self.lexicon.stop_words, self.lexicon.suffix_heads)
        for words in parts:
            longest = len(words) if len(parts) > 1 else len(words) - 1
            for size in range(longest, 0, -1):
                hits = []
                for i in range(len(words) - size + 1):
                    part = words[i:i + size]
                    if size == 1 and (len(part[0]) < 4 or not part[0][:1].isupper()):
                        continue
                    text = " ".join(part)
                    hits += [o for o in self._named(text, stripped=True) +
                             self._lookup(text, fuzzy=False, stripped=True)
                             if o.match in ("exact", "alias")]
                if hits:
                    found += hits
                    break
        return found

    # --- article-level resolution -------------------------------------------------------
    def resolve(self, text: str, matches: Sequence[ToponymMatch], *,
                sentences: Sequence[tuple[int, int]] = ()) -> list[Toponym]:
        """One ``Toponym`` per match, in the same order."""
        options = [self.candidates(m) for m in matches]
        demonym_focus = self._demonym_focus(text)
        for code in self.region:  # the area of interest: a prior, below one named country
            demonym_focus[code] += 0.5 / len(self.region)
        blank = _containers(text, matches, options)
        first = [rank(o, m, blank, index=k) for k, (o, m) in enumerate(zip(options, matches))]
        context = self._context(first, matches, demonym_focus, blank)
        focus = tuple(c for c, share in sorted(context.focus.items(), key=lambda x: -x[1])
                      if share >= FUZZY_FOCUS and c)[:3]
        if focus:
            for k, m in enumerate(matches):
                if not any(o.match in ("exact", "key", "alias") for o in options[k]):
                    options[k] = self.candidates(m, fuzzy_in=focus)
        final = [rank(o, m, context, index=k) for k, (o, m) in enumerate(zip(options, matches))]
        context = self._context(final, matches, demonym_focus, blank)
        final = [rank(o, m, context, index=k) for k, (o, m) in enumerate(zip(options, matches))]
        toponyms = [self._toponym(m, s) for m, s in zip(matches, final)]
        toponyms = _drop_far_loose(text, toponyms, final, sentences)
        toponyms = self._fallback(text, toponyms, sentences)
        parted: set[int] = set()
        for k, (m, t) in enumerate(zip(matches, toponyms)):
            if t.place is None and not options[k]:
                # neither the name nor a place it is tied to: read it through its parts
                scored = rank(self.candidates(m, parts=True), m, context, index=k)
                if scored:
                    toponyms[k] = self._toponym(m, scored)
                    final[k] = scored
                    parted.add(k)
        if parted:  # a part is a loose reading too ("Ain al-Hilweh" is not Al Ain)
            toponyms = _drop_far_loose(text, toponyms, final, sentences, only=parted)
        toponyms = contain(text, matches, toponyms, final)
        toponyms, _focus = sane(text, matches, toponyms, final, region=self.region,
                                lexicon=self.lexicon, sparse=self._sparse,
                                country=self.country)
        return _keep_coherent(toponyms, matches)

    def _demonym_focus(self, text: str) -> Counter[str]:
        counts: Counter[str] = Counter()
        folded = f" {fold(text)} "
        for demonym, code in self.lexicon.demonyms.items():
            if code and f" {demonym} " in folded:
                counts[code] += 0.5
        return counts

    def _context(self, ranked: Sequence[Sequence[Scored]], matches: Sequence[ToponymMatch],
                 demonyms: Counter[str], base: Context | None = None) -> Context:
        base = base or Context()
        votes: Counter[str] = Counter(demonyms)
        admin_votes: Counter[tuple[str, str]] = Counter()
        own: dict[int, tuple[str, float]] = {}
        admin_own: dict[int, tuple[tuple[str, str], float]] = {}
        anchor_countries: dict[int, str] = {}
        anchors = []
        for k, scored in enumerate(ranked):
            if not scored:
                continue
            top = scored[0]
            place = top.option.place
            conf = _confidence(scored)
            if _is_country(place):
                votes[place.country_code] += 2.0
                own[k] = (place.country_code, 2.0)
                continue
            votes[place.country_code] += conf
            own[k] = (place.country_code, conf)
            if place.admin1_code:
                weight = 2.0 if place.feature_code == "ADM1" else conf
                admin_votes[(place.country_code, place.admin1_code)] += weight
                admin_own[k] = ((place.country_code, place.admin1_code), weight)
            margin = scored[0].score - scored[1].score if len(scored) > 1 else 9.0
            if margin >= 0.5 and place.feature_code not in _REGION_CODES:
                anchors.append((k, place.latitude, place.longitude, matches[k].text))
                anchor_countries[k] = place.country_code
        names = tuple(fold(m.text) for m in matches)
        field_ = _field(ranked, matches, names)
        own = _by_name(own, names)
        admin_own = _by_name(admin_own, names)
        total = sum(votes.values())
        focus = {c: v / total for c, v in votes.items()} if total else {}
        admin_total = float(sum(admin_votes.values()))
        admin_focus = {k: v / admin_total for k, v in admin_votes.items()} if admin_total else {}
        return dataclasses.replace(
            base, focus=focus, admin_focus=admin_focus,
            anchors=tuple(anchors), own=own, total=total, admin_own=admin_own,
            admin_total=admin_total, anchor_countries=anchor_countries, names=names,
            field=field_)

    def _toponym(self, match: ToponymMatch, scored: Sequence[Scored]) -> Toponym:
        base = dict(text=match.text, start=match.start, end=match.end,
                    recognizer=match.recognizer)
        if not scored:
            return Toponym(**base, reason="no candidate in gazetteer")
        top = scored[0]
        place = top.option.place
        reasons = list(top.why)
        if len(scored) > 1:
            second = scored[1]
            other = second.option.place
            far = haversine_km(place.latitude, place.longitude, other.latitude,
                               other.longitude) > 161
            if far and top.score - second.score < 0.15:
                reasons.insert(0, f"ambiguous: {place.name} ({place.country_code}) vs "
                                  f"{other.name} ({other.country_code}), chose the first")
        approximate = top.option.stripped
        if approximate:
            reasons.append(f"placed via {top.option.via!r} (name without its head word)")
        if match.near:
            reasons.append("text says near/around it")
        precision = geo_precision(place, near=match.near, approximate=approximate)
        return Toponym(**base, place=place, reason="; ".join(reasons),
                       score=round(_confidence(scored), 4), geo_precision=precision)

    def _fallback(self, text: str, toponyms: list[Toponym],
                  sentences: Sequence[tuple[int, int]]) -> list[Toponym]:
        """Unplaced names take the resolved place they are tied to in their sentence."""
        if not any(t.place is None for t in toponyms):
            return toponyms
        out = list(toponyms)
        for k, t in enumerate(toponyms):
            if t.place is not None:
                continue
            sent = next(((a, b) for a, b in sentences if a <= t.start < b), None)
            if sent is None:
                sent = _sentence_around(text, t.start)
            best: tuple[float, Toponym] | None = None
            for o in toponyms:
                if o.place is None or not (sent[0] <= o.start < sent[1]):
                    continue
                if _is_country(o.place) or o.place.feature_code in ("ADM1", "CONT"):
                    continue
                gap = o.start - t.end if o.start >= t.end else t.start - o.end
                between = fold(text[min(t.end, o.end):max(t.start, o.start)]).split()
                tied = o.start >= t.end and len(between) <= 4 and any(
                    w in between for w in ("near", "of", "outside", "around", "in", "by"))
                if not tied and t.recognizer not in ("head-word", "list"):
                    continue
                weight = gap - (1000 if tied else 0)
                if best is None or weight < best[0]:
                    best = (weight, o)
            if best is None:
                continue
            anchor = best[1]
            out[k] = t.replace(place=anchor.place, geo_precision=max(2, anchor.geo_precision or 2),
                               score=round(0.3 * anchor.score, 4),
                               reason=f"no candidate in gazetteer for {t.text!r}; placed at "
                                      f"{anchor.text!r}, the resolved place it is tied to in "
                                      f"its sentence")
        return out
