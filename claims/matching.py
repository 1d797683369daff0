"""Which recorded claims a report repeats, updates or contradicts: candidates from indexes, scored, with reasons.

Candidates come from the indexes only (never from comparing every pair): the full-text index (the report's
rarest words, in its text and translation), the claims with a figure of the same measure, and the claims of the
same asserter. Each candidate is then scored on what both reports hold:

- wording: the words they share, stemmed in their language (French, English), each weighted by how rare it is in
  the database (counted through the full-text index); a translation is compared with the other's text or translation;
- across languages without a translation: the names and numbers they share;
- parties: the same asserter, or one side denying or disputing what the other asserts;
- figures: the same measure with a close figure (the same claim) or a different one (an update, or a contradiction
  when another party gives it);
- a denial in one report and not the other.

The relation suggested follows from them: `contradicts` (opposed parties, a denial, another party's different
figure), `updates` (the same side's different figure: the newer report updates the older), else `same`.
"""

from __future__ import annotations

import heapq
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from sqlite_utils import Database

from .wording import (
    anchors,
    cosine,
    has_denial,
    stems,
    translation_language,
    words,
)

DEFAULT_MIN_SCORE = 0.25  # `same` suggested at or above this score (bench/match.py measures it)
SHOWN_SCORE = 0.1  # candidates below this are not worth a look
DEFAULT_LIMIT = 3  # candidates per report
FTS_CANDIDATES = 40
INDEX_CANDIDATES = 25
QUERY_TERMS = 10
WORD_COUNT_CAP = 1000
RARE_WORD_SHARE = 0.02  # the full-text index is searched for the report's words in fewer than 2% of the claims
RARE_WORD_CLAIMS = 50  # (or in fewer than 50, in a small database)
COGNATE_LENGTH = 4  # évacuation and evacuation, contaminée and contaminated share their first four letters
CLOSE_FIGURE = 0.1  # figures within 10% of each other are the same figure
CACHE_SIZE = 5_000  # reports kept in memory by a matcher (then forgotten: `claims match` over 100k claims)
WEIGHTS_KEPT = 50_000  # word counts kept in memory
# The score is a logistic function of `Matcher.features`: how likely the two are the same claim (SAME_*) when the
# relation suggested is `same`, how likely they are related (RELATED_*) when it is `updates` or `contradicts`.
# Weights (claims/match_weights.json) fitted by bench/fit_match.py on bench/corpus/match, checked on sets it never saw (bench/corpus/match-*).
_FITTED = json.loads(resources.files("claims").joinpath("match_weights.json").read_text(encoding="utf-8"))
SAME_BIAS, SAME_WEIGHTS = _FITTED["same"]["bias"], _FITTED["same"]["weights"]
RELATED_BIAS, RELATED_WEIGHTS = _FITTED["related"]["bias"], _FITTED["related"]["weights"]


@dataclass
class Report:
    """What matching compares of a recorded claim."""

    id: int
    source_id: int
    group_id: int
    dated: str | None
    language: str | None
    text: str
    translation: str | None
    parties: dict[str, frozenset[int]] = field(default_factory=dict)  # role: actor ids
    sides: frozenset[str] = frozenset()  # countries of the asserters
    figures: dict[str, tuple[str, float | None, float | None]] = field(
        default_factory=dict
    )  # measure: (qualifier, low, high)
    versions: list[tuple[str, dict[str, float]]] = field(
        default_factory=list
    )  # (language, {stem: weight}) of each wording
    anchors: frozenset[str] = frozenset()  # names and numbers, compared across languages
    prefixes: dict[str, float] = field(
        default_factory=dict
    )  # the first letters of long words: cognates across languages
    denial: bool = False

    @property
    def asserters(self) -> frozenset[int]:
        return self.parties.get("asserts", frozenset())

    @property
    def opposers(self) -> frozenset[int]:
        return self.parties.get("denies", frozenset()) | self.parties.get("disputes", frozenset())


@dataclass(frozen=True)
class Candidate:
    """A suggested link: `claims link claim_id other_id --as relation`, how likely (0-1) and why, in words."""

    claim_id: int
    other_id: int
    score: float
    relation: str
    reasons: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "claim_id": self.claim_id,
            "other_id": self.other_id,
            "score": self.score,
            "relation": self.relation,
            "reasons": list(self.reasons),
        }


class Matcher:
    """Finds and scores the candidates of reports in one database; caches what it read (word weights, reports)."""

    def __init__(self, db: Database):
        self.db = db
        self.total = max(1, db.execute("select max(rowid) from claims").fetchone()[0] or 1)
        self.counts: dict[str, int] = {}  # word: claims holding it (up to WORD_COUNT_CAP)
        self.reports: dict[int, Report] = {}

    # Reading reports

    def load(self, ids: Iterable[int]) -> dict[int, Report]:
        """The reports of these claim ids (those that exist), read in three queries and cached."""
        wanted = [i for i in dict.fromkeys(ids) if i not in self.reports]
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            fresh: dict[int, Report] = {}
            rows = self.db.execute(
                f"select id, source_id, group_id, dated, language, text, translation from claims where id in ({marks})",
                chunk,
            ).fetchall()
            self.prefetch(word for row in rows for word in words(row[5] + " " + (row[6] or "")))
            for row in rows:
                report = Report(*row[:2], row[2] if row[2] is not None else row[0], *row[3:])
                self._describe(report)
                fresh[report.id] = report
            parties: dict[int, dict[str, set[int]]] = {}
            sides: dict[int, set[str]] = {}
            for claim_id, actor_id, role, country in self.db.execute(
                "select attributions.claim_id, attributions.actor_id, attributions.role, actors.country from attributions "
                f"join actors on actors.id = attributions.actor_id where attributions.claim_id in ({marks})",
                chunk,
            ):
                parties.setdefault(claim_id, {}).setdefault(role, set()).add(actor_id)
                if role == "asserts" and country:
                    sides.setdefault(claim_id, set()).add(country)
            for claim_id, countries in sides.items():
                if claim_id in fresh:
                    fresh[claim_id].sides = frozenset(countries)
            for claim_id, roles in parties.items():
                if claim_id in fresh:
                    fresh[claim_id].parties = {role: frozenset(ids) for role, ids in roles.items()}
            for claim_id, measure, qualifier, low, high in self.db.execute(
                f"select claim_id, measure, qualifier, low, high from figures where claim_id in ({marks}) order by id",
                chunk,
            ):
                if claim_id in fresh:
                    fresh[claim_id].figures.setdefault(measure, (qualifier, low, high))
            if len(self.reports) + len(fresh) > CACHE_SIZE:
                self.reports.clear()
            self.reports.update(fresh)
        return {i: self.reports[i] for i in ids if i in self.reports}

    def weight(self, word: str) -> float:
        """How telling a shared word is: the rarer in the database, the more (inverse document frequency).

        A word in more than WORD_COUNT_CAP claims weighs as if in WORD_COUNT_CAP: no word that common decides.
        """
        return math.log(1 + self.total / (1 + self.documents(word)))

    def documents(self, word: str) -> int:
        """How many claims hold this word in their text or translation (up to WORD_COUNT_CAP)."""
        if word not in self.counts:
            self.prefetch([word])
        return self.counts[word]

    def prefetch(self, words: Iterable[str]) -> None:
        """Count the claims that hold each of these words, through the full-text index: up to WORD_COUNT_CAP, so
        that a common word costs no more than a rare one (the counts are the weights' only input)."""
        if len(self.counts) > WEIGHTS_KEPT:
            self.counts.clear()
        for word in dict.fromkeys(words):
            if word not in self.counts:
                (self.counts[word],) = self.db.execute(
                    "select count(*) from (select rowid from claims_fts where claims_fts match ? limit ?)",
                    [f'"{word}"', WORD_COUNT_CAP],
                ).fetchone()

    def weighted(self, text: str, language: str | None) -> dict[str, float]:
        """The stems of a text in its language, each weighted by its commonest word."""
        found: dict[str, float] = {}
        for stem, word in stems(text, language):
            weight = self.weight(word)
            found[stem] = min(weight, found.get(stem, weight))
        return found

    # Candidates

    def candidate_ids(self, report: Report) -> list[int]:
        """Claims that may be reports of the same claim, from the indexes: words, measures, asserters."""
        found: dict[int, None] = {}
        words_ = {
            t for t in words(" ".join(filter(None, [report.text, report.translation]))) if len(t) > 2 or t.isdigit()
        }
        self.prefetch(words_)
        by_rarity = sorted(words_, key=lambda t: (-self.weight(t), t))
        # a word in more claims than this is no lead (and counted no further than WORD_COUNT_CAP)
        common = min(WORD_COUNT_CAP - 1, max(RARE_WORD_CLAIMS, RARE_WORD_SHARE * self.total))
        terms = [t for t in by_rarity if self.documents(t) <= common][:QUERY_TERMS] or by_rarity[:2]
        if terms:
            query = " OR ".join(f'"{term}"' for term in terms)
            for (rowid,) in self.db.execute(
                "select rowid from claims_fts where claims_fts match ? order by rank limit ?", [query, FTS_CANDIDATES]
            ):
                found[rowid] = None
        for measure in report.figures:
            for (claim_id,) in self.db.execute(
                "select claim_id from figures where measure = ? order by claim_id desc limit ?",
                [measure, INDEX_CANDIDATES],
            ):
                found[claim_id] = None
        for actor_id in report.asserters:
            for (claim_id,) in self.db.execute(
                "select claim_id from attributions where actor_id = ? and role = 'asserts' order by id desc limit ?",
                [actor_id, INDEX_CANDIDATES],
            ):
                found[claim_id] = None
        found.pop(report.id, None)
        return list(found)

    def matches(
        self, claim_id: int, *, limit: int = DEFAULT_LIMIT, min_score: float = SHOWN_SCORE, among=None
    ) -> list[Candidate]:
        """The best candidates of one recorded claim, best first, leaving out reports already linked to it; `among`,
        if given, holds the claim ids to consider."""
        report = self.load([claim_id]).get(claim_id)
        return self.matches_of_report(report, limit=limit, min_score=min_score, among=among) if report else []

    def matches_of_report(
        self, report: Report, *, limit: int = DEFAULT_LIMIT, min_score: float = SHOWN_SCORE, among=None
    ) -> list[Candidate]:
        """The best candidates of a report, recorded or not (a draft), one per claim, best first."""
        scored = []
        for other, features in self.compared(report, among):
            candidate = self.compare(report, other, features)
            if candidate.score >= min_score:
                scored.append((other.group_id, candidate))
        best: dict[int, Candidate] = {}  # one report per claim: its reports linked as the same are one candidate
        for group_id, candidate in sorted(scored, key=lambda item: (-item[1].score, item[1].other_id)):
            best.setdefault(group_id, candidate)
        return heapq.nlargest(limit, best.values(), key=lambda c: (c.score, -abs(c.other_id - c.claim_id)))

    def compared(self, report: Report, among=None) -> list[tuple[Report, dict[str, float]]]:
        """Each candidate of a report (not of its source, claim or links) with the features of the pair, including
        how the candidate stands among the others: the closest wording, the most names shared."""
        ids = [i for i in self.candidate_ids(report) if among is None or i in among]
        linked = self.linked(report.id)
        pairs = [
            (other, self.features(report, other))
            for other in self.load(ids).values()
            if other.source_id != report.source_id and other.group_id != report.group_id and other.id not in linked
        ]
        for name, flag in (("wording", "closest_wording"), ("shared_names", "most_names")):
            top = max((features[name] for _, features in pairs), default=0)
            for _, features in pairs:
                features[flag] = float(top > 0 and features[name] == top)
        return pairs

    def draft(
        self,
        text: str,
        *,
        language: str | None,
        translation: str | None = None,
        said_on: str | None = None,
        parties: dict[str, list[int]] | None = None,
        figures: dict[str, tuple] | None = None,
    ) -> Report:
        """A report of a claim not recorded yet (id 0), e.g. drafted by `claims extract`, to match against the database."""
        report = Report(0, 0, 0, said_on, language, text, translation)
        report.parties = {role: frozenset(ids) for role, ids in (parties or {}).items()}
        report.figures = dict(figures or {})
        self._describe(report)
        return report

    def _describe(self, report: Report) -> None:
        """Fill in what matching compares of a report's wording: stems per language, names and numbers, a denial."""
        report.versions = [(report.language or "en", self.weighted(report.text, report.language))]
        if report.translation:
            language = translation_language(report.language)
            report.versions.append((language, self.weighted(report.translation, language)))
        report.anchors = anchors(report.text)
        report.denial = has_denial(report.text, report.translation)
        for word in words(report.text):
            if len(word) >= COGNATE_LENGTH + 1 and not word.isdigit():
                weight = self.weight(word)
                report.prefixes[word[:COGNATE_LENGTH]] = min(weight, report.prefixes.get(word[:COGNATE_LENGTH], weight))

    def linked(self, claim_id: int) -> set[int]:
        return {
            row[0]
            for row in self.db.execute(
                "select other_id from current_links where claim_id = ? union select claim_id from current_links where other_id = ?",
                [claim_id, claim_id],
            )
        }

    # Scoring

    def wording(self, a: Report, b: Report) -> tuple[float, bool]:
        """The best weighted overlap of two reports' words in a shared language, and whether a translation gave it."""
        best, via_translation = 0.0, False
        for index_a, (language_a, stems_a) in enumerate(a.versions):
            for index_b, (language_b, stems_b) in enumerate(b.versions):
                similarity = cosine(stems_a, stems_b) if language_a == language_b else 0.0
                if similarity > best:
                    best, via_translation = similarity, bool(index_a or index_b)
        return best, via_translation

    def features(self, a: Report, b: Report) -> dict[str, float]:
        """What two reports share and where they differ, as numbers in 0-1 (the inputs of the score)."""
        wording, via_translation = self.wording(a, b)
        shared_anchors = a.anchors & b.anchors
        close, different = self.figure_agreement(a, b)
        opposed = bool(a.asserters & b.opposers or b.asserters & a.opposers)
        actors = frozenset().union(*a.parties.values()) & frozenset().union(*b.parties.values())
        cognates = cosine(a.prefixes, b.prefixes) if (a.language or "") != (b.language or "") else 0.0
        return {
            "cognates": cognates,
            "wording": wording,
            "wording_squared": wording * wording,
            "through_translation": float(via_translation),
            "untranslated": float((a.language or "") != (b.language or "") and not via_translation),
            "shared_names": len(shared_anchors) / (len(a.anchors | b.anchors) or 1),
            "shared_numbers": min(2, sum(1 for x in shared_anchors if x.isdigit())) / 2,
            "same_asserter": float(bool(a.asserters & b.asserters)),
            "other_asserters": float(bool(a.asserters and b.asserters and not a.asserters & b.asserters)),
            "shared_parties": float(bool(actors)),
            "same_figure": float(bool(close)),
            "different_figure": float(bool(different) and not close),
            "other_measures": float(bool(a.figures and b.figures and not close and not different)),
            "denial_in_one": float(a.denial != b.denial),
            "opposed": float(opposed),
        }

    def figure_agreement(self, a: Report, b: Report) -> tuple[list[str], list[str]]:
        """The measures both reports give: with the same figure, and with a different one."""
        close, different = [], []
        for measure in sorted(a.figures.keys() & b.figures.keys()):
            (close if _close(a.figures[measure], b.figures[measure]) else different).append(measure)
        return close, different

    def compare(self, a: Report, b: Report, features: dict[str, float] | None = None) -> Candidate:
        """Score how likely `a` and `b` report the same claim (or one updates or contradicts the other), with reasons."""
        features = features or self.features(a, b) | {"closest_wording": 0.0, "most_names": 0.0}
        close, different = self.figure_agreement(a, b)
        if features["opposed"] or (features["denial_in_one"] and not different and not features["same_asserter"]):
            relation = "contradicts"
        elif features["different_figure"]:
            same_side = not features["other_asserters"] or bool(a.sides & b.sides)  # Seoul and its spy agency
            relation = "updates" if same_side else "contradicts"
        else:
            relation = "same"
        bias, weights = (SAME_BIAS, SAME_WEIGHTS) if relation == "same" else (RELATED_BIAS, RELATED_WEIGHTS)
        score = 1 / (1 + math.exp(-(bias + sum(weights.get(name, 0) * value for name, value in features.items()))))
        newer, older = (a, b) if (a.dated or "", a.id) >= (b.dated or "", b.id) else (b, a)
        first, second = (newer, older) if relation == "updates" else (a, b)
        return Candidate(first.id, second.id, round(score, 3), relation, self.reasons(a, b, features, close, different))

    def reasons(self, a: Report, b: Report, features: dict, close: list[str], different: list[str]) -> tuple[str, ...]:
        """Why, in words: what the score rests on."""
        said = []
        if features["wording"]:
            how = ", through a translation" if features["through_translation"] else ""
            said.append(f"similar wording ({features['wording']:.2f}{how})")
        if features["untranslated"] and a.anchors & b.anchors:
            said.append(f"in two languages, shares {', '.join(sorted(a.anchors & b.anchors)[:5])}")
        if features["same_asserter"]:
            said.append("same asserter")
        elif features["other_asserters"]:
            said.append("different asserters")
        if close:
            said.append(f"same figure for {', '.join(close)}")
        if different:
            said.append(f"different figure for {', '.join(different)}")
        if features["other_measures"]:
            said.append("figures of other measures")
        if features["opposed"]:
            said.append("one side denies or disputes what the other asserts")
        elif features["denial_in_one"]:
            said.append("a denial in one report only")
        return tuple(said)


def _close(a: tuple, b: tuple) -> bool:
    """Whether two figures (qualifier, low, high) are the same figure: equal, or within CLOSE_FIGURE of each other
    when either is approximate (about, a bound, a range)."""
    value_a, value_b = _middle(a[1:]), _middle(b[1:])
    if value_a is None or value_b is None:
        return value_a == value_b
    tolerance = 0 if a[0] == b[0] == "exact" else CLOSE_FIGURE
    return abs(value_a - value_b) <= tolerance * max(abs(value_a), abs(value_b), 1)


def _middle(figure: tuple) -> float | None:
    low, high = figure
    if low is not None and high is not None:
        return (low + high) / 2
    return low if low is not None else high


def suggested(candidates: list[Candidate], min_score: float = DEFAULT_MIN_SCORE) -> list[Candidate]:
    """The links to suggest among a report's candidates (best first): those scoring `min_score` or more, and of
    them a single `same` (a report repeats at most one recorded claim: the best candidate)."""
    chosen, same = [], False
    for candidate in candidates:
        if candidate.score < min_score or (candidate.relation == "same" and same):
            continue
        same |= candidate.relation == "same"
        chosen.append(candidate)
    return chosen


def candidate_pairs(
    db: Database,
    claim_ids: Iterable[int],
    *,
    min_score: float = DEFAULT_MIN_SCORE,
    limit: int | None = None,
    per_claim: int = DEFAULT_LIMIT,
    earlier_only: bool = False,
) -> list[Candidate]:
    """Candidate links of these claims, best first, each pair once; at most `limit` (held in a heap of that size).

    With `earlier_only`, a claim is matched against claims recorded before it only: over a whole database, each
    pair is then considered once.
    """
    matcher = Matcher(db)
    best: list[tuple] = []
    seen: set[tuple[int, int]] = set()
    for _count, claim_id in enumerate(claim_ids):
        among = range(1, claim_id) if earlier_only else None
        for candidate in matcher.matches(claim_id, limit=per_claim, min_score=min_score, among=among):
            pair = (min(candidate.claim_id, candidate.other_id), max(candidate.claim_id, candidate.other_id))
            if pair in seen:
                continue
            seen.add(pair)
            item = (candidate.score, -pair[0], -pair[1], candidate)
            if limit is None:
                best.append(item)
            elif len(best) < limit:
                heapq.heappush(best, item)
            else:
                heapq.heappushpop(best, item)
        if len(seen) > 4 * CACHE_SIZE:
            seen.clear()  # pairs are met again only among nearby claims
    return [item[-1] for item in sorted(best, reverse=True)]


def suggestions_for(
    db: Database, claim_ids: Iterable[int], *, per_claim: int = DEFAULT_LIMIT
) -> dict[int, list[Candidate]]:
    """The links to suggest for each of these (new) claims: what `claims add`, `import` and `extract` show."""
    matcher = Matcher(db)
    return {claim_id: suggested(matcher.matches(claim_id, limit=per_claim)) for claim_id in claim_ids}


def suggestion_text(candidate: Candidate, claim_id: int) -> str:
    """A suggestion in words, from the new claim's side: `same as claim 4 (0.83: same asserter, ...)`."""
    from .links import PHRASES

    outgoing = candidate.claim_id == claim_id
    other = candidate.other_id if outgoing else candidate.claim_id
    phrase = PHRASES[candidate.relation][0 if outgoing else 1]
    return f"{phrase} claim {other} (score {candidate.score:.2f}: {'; '.join(candidate.reasons) or 'little in common'})"


def draft_links(db: Database, claim: dict, language: str | None, source: dict | None = None) -> list[dict]:
    """Links to suggest in a drafted claim (a `claims extract` record, not recorded yet), in the import format:
    `{relation, claim: ID, reason}`, kept or deleted by the user before importing. The claims of the draft's
    source, if it is recorded already, are left out: importing the draft updates them."""
    from . import registry
    from .values import parse_figure

    parties: dict[str, list[int]] = {}
    for column, role in (("asserted_by", "asserts"), ("denied_by", "denies"), ("disputed_by", "disputes")):
        for name in claim.get(column) or []:
            actor_id = registry.find_actor_id(db, name if isinstance(name, str) else str(name.get("actor", "")))
            if actor_id is not None:
                parties.setdefault(role, []).append(actor_id)
    figures = {}
    for spec in claim.get("figures") or []:
        try:
            figure = parse_figure(spec)
        except Exception:  # a draft's figure the user has to fix: nothing to match on
            continue
        figures.setdefault(figure.measure, (figure.qualifier, figure.low, figure.high))
    matcher = Matcher(db)
    report = matcher.draft(
        claim["text"],
        language=claim.get("language") or language,
        translation=claim.get("translation"),
        said_on=claim.get("said_on"),
        parties=parties,
        figures=figures,
    )
    if source and source.get("title"):
        fields = {name: source.get(name) for name in ("url", "outlet", "published", "language")}
        report.source_id = registry.find_matching_source(
            db, source["title"], **{k: str(v) for k, v in fields.items() if v}
        )
        report.source_id = report.source_id or 0
    from .records import SOURCE_FIELDS

    links = []
    for c in suggested(matcher.matches_of_report(report)):
        if c.claim_id != report.id:
            continue
        other = registry.get_claim_row(db, c.other_id)
        source = registry.get_source(db, other["source_id"])
        links.append(
            {  # the other claim by its source and text: imported into another database, it links nothing wrong
                "relation": c.relation,
                "source": {name: source[name] for name in SOURCE_FIELDS if source[name] is not None},
                "text": other["text"],
                "reason": f"Suggested by claims: claim {c.other_id} (score {c.score:.2f}: {'; '.join(c.reasons)}); "
                "keep it or delete it",
            }
        )
    return links
