"""ClaimReview (schema.org JSON-LD) export and import, the ratings both ways: pure functions, no database.

This module writes reviews; `claimreview_reader` reads them.

Export gives each status one reviewRating on a 1-5 scale (`DEFAULT_MAPPING["export"]`):

| status       | alternateName                 | ratingValue |
| ------------ | ----------------------------- | ----------- |
| false        | False                         | 1           |
| denied       | Denied by the party concerned | 2           |
| retracted    | Retracted                     | 2           |
| disputed     | Disputed                      | 3           |
| unconfirmed  | Unproven                      | 3           |
| corroborated | Mostly true                   | 4           |
| confirmed    | True                          | 5           |

Import reads the rating's alternateName folded (lowercase, no accents, punctuation as spaces:
"Plutôt faux !" is "plutot faux"); the first rule of `DEFAULT_MAPPING["import"]` found in it gives
the status. In rule order, so that "Mostly false" is false but "Partly false" disputed:

| status       | ratings (English, French, German; a few Spanish)                                      |
| ------------ | ------------------------------------------------------------------------------------- |
| disputed     | Misleading, Trompeur, Irreführend, Missing context, Manque de contexte, Falscher Kontext |
| retracted    | Retracted, Rétracté, Zurückgezogen                                                    |
| denied       | Denied, Démenti, Dementiert, Bestritten                                               |
| unconfirmed  | Unproven, Unverified, Non vérifié, Invérifiable, Unbelegt, No evidence, Research in progress |
| disputed     | Half true, À moitié vrai, Partly false, Partiellement faux, Teilweise falsch, Mixture, |
|              | Exaggerated, Exagéré, Übertrieben, Outdated, C'est plus compliqué, Disputed, Umstritten |
| false        | False, Faux, Falsch, Pants on Fire, Mostly false, Plutôt faux, Barely true, Incorrect, |
|              | Fabricated, Altered, Manipulated, Montage, Satire, Miscaptioned, Misattributed, Scam,  |
|              | Frei erfunden, Not true, Falso                                                        |
| corroborated | Mostly true, Plutôt vrai, Größtenteils richtig, Corroborated                          |
| confirmed    | True, Vrai, Correct, Accurate, Exact, Richtig, Wahr, Confirmed, Correct attribution   |

An unknown rating falls back on ratingValue within worstRating..bestRating (schema.org defaults 1..5;
-1 means "no numeric rating"): bottom quarter false, below three quarters disputed, below the top
corroborated, the top confirmed. Failing that the status is `unconfirmed` and the notes say why.
`load_mapping` reads a YAML file overriding either direction.

`parse_claimreviews` accepts a ClaimReview object, a list, an object with `@graph` (nested, mixed
with WebPage, Organization, BreadcrumbList...: only ClaimReviews are read; `{"@id": ...}` references
are resolved), or an HTML page whose `<script type="application/ld+json">` blocks hold any of these.
`@type` may be a string, a list or prefixed ("schema:ClaimReview"); ratings, dates, authors and
appearances may take any of the shapes fact-checkers publish. What cannot be read is left empty,
and each warning returned says where ("page.html block 2 item 1": the first ClaimReview of the
page's second ld+json block) and why.

A claim is reported in many places. Export writes one review per claim (reports linked as the same claim are
one claim), with every report as an `appearance` and the earliest as `firstAppearance`. Import gives one
record per appearance, and links the records of one claim as the same claim: those of one review, and those
of reviews of the same `claimReviewed` text or with an appearance in common.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from copy import deepcopy
from pathlib import Path

from ..errors import InvalidValue
from ..values import (
    fold,
    parse_url,
    without_empty,
)
from ..vocabulary import STATUS_NAMES

RATING_FIELDS = ("alternateName", "ratingValue", "bestRating", "worstRating")

_RULES = [
    (r"\bcontext|\bkontext|misleading|trompeu|irrefuhrend|deceptive|enganoso", "disputed"),
    (r"\bretract|zuruckgezogen", "retracted"),
    (r"\bdenied\b|\bdenies\b|\bdementi|\bbestritten", "denied"),
    (
        r"unproven|unverifi|unsubstantiated|not proven|no evidence|insufficient evidence|unconfirmed|non verifi"
        r"|inverifiable|non prouve|non confirme|unbelegt|unbestatigt|nicht belegt|research in progress",
        "unconfirmed",
    ),
    (
        r"half (true|false)|a moitie (vrai|faux)|halb (wahr|richtig|falsch)|mixture|\bmixed\b|outdated|disput"
        r"|\bpart(ly|ially) (true|false|correct|accurate)|partiellement|en partie|teilweise|exaggerat|exagere"
        r"|ubertrieben|plus complique|contest|umstritten|imprecis|ungenau",
        "disputed",
    ),
    (
        r"\bfalse\b|\bfaux\b|\bfausse|\bfalsch|pants (on )?fire|barely true|\bincorrect|\binaccurate|\binexact"
        r"|\buntrue|\bwrong\b|not (true|correct|accurate)|pas vrai|nicht (wahr|richtig)|fabricat|\baltered|manipul"
        r"|\bfake\b|satir|\bhoax|\bscam\b|miscaptioned|misattributed|montage|erfunden|\bfals[oa]\b|\bintox\b",
        "false",
    ),
    (
        r"(mostly|largely) (true|correct|accurate)|plutot (vrai|exact)|(grosstenteils|weitgehend|uberwiegend)"
        r" (richtig|wahr)|corroborat|corrobore",
        "corroborated",
    ),
    (
        r"\btrue\b|\bvrai\b|\bcorrect\b|\baccurate\b|\bexact\b|\brichtig\b|\bwahr\b|\bconfirm|\bbestatigt"
        r"|\bverified\b|\bverdader[oa]\b",
        "confirmed",
    ),
]


RATING_SHARES = [(0.25, "false"), (0.75, "disputed"), (1, "corroborated"), (float("inf"), "confirmed")]


def _rating(name: str, value: int) -> dict:
    return {"alternateName": name, "ratingValue": value, "bestRating": 5, "worstRating": 1}


DEFAULT_MAPPING: dict = {
    "export": {
        "unconfirmed": _rating("Unproven", 3),
        "corroborated": _rating("Mostly true", 4),
        "confirmed": _rating("True", 5),
        "disputed": _rating("Disputed", 3),
        "denied": _rating("Denied by the party concerned", 2),
        "false": _rating("False", 1),
        "retracted": _rating("Retracted", 2),
    },
    "import": [(re.compile(pattern), status) for pattern, status in _RULES],
}


# Mapping files


def load_mapping(path: str | Path) -> dict:
    """The default mapping overridden by a YAML file: `export: {status: rating}`, `import: [{pattern, status}]`."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise InvalidValue(f"cannot read mapping {path}: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict) or set(data) - {"export", "import"}:
        raise InvalidValue(f"mapping {path} must be a mapping with only 'export' and 'import' sections")
    exports, imports = data.get("export") or {}, data.get("import") or []
    if not isinstance(exports, dict) or not isinstance(imports, list):
        raise InvalidValue(f"mapping {path}: 'export' must map statuses to ratings and 'import' be a list")
    export, exact = deepcopy(DEFAULT_MAPPING["export"]), []
    for status, rating in exports.items():
        status = _known_status(status, f"mapping {path} export")
        export[status] = _export_rating(rating, export[status], f"mapping {path} export {status}")
        exact.append((re.compile(rf"^{re.escape(fold(export[status]['alternateName']))}$"), status))
    rules = [_import_rule(rule, f"mapping {path} import rule {n}") for n, rule in enumerate(imports, 1)]
    return {"export": export, "import": rules + exact + DEFAULT_MAPPING["import"]}


def _known_status(status, where: str) -> str:
    status = str(status).lower() if isinstance(status, bool) else status  # YAML reads a bare `false:` as False
    if status not in STATUS_NAMES:
        raise InvalidValue(f"{where}: unknown status {status!r}: expected one of {', '.join(STATUS_NAMES)}")
    return status


def _export_rating(rating, default: dict, where: str) -> dict:
    rating = {"alternateName": rating} if isinstance(rating, str) else rating
    if not isinstance(rating, dict) or set(rating) - set(RATING_FIELDS):
        raise InvalidValue(f"{where}: give a text or a mapping of {', '.join(RATING_FIELDS)}")
    merged = default | rating
    if not isinstance(merged["alternateName"], str) or not merged["alternateName"].strip():
        raise InvalidValue(f"{where}: alternateName must be a non-empty text")
    value, best, worst = numbers = [merged[k] for k in RATING_FIELDS[1:]]
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        raise InvalidValue(f"{where}: ratingValue, bestRating and worstRating must be whole numbers")
    if not worst <= value <= best or worst == best:
        raise InvalidValue(f"{where}: ratingValue {value} is not within worstRating {worst}..bestRating {best}")
    return merged | {"alternateName": merged["alternateName"].strip()}


def _import_rule(rule, where: str) -> tuple[re.Pattern, str]:
    """Plain text matches as whole words, ignoring case, accents and punctuation; anything else is a regex."""
    if not isinstance(rule, dict) or set(rule) != {"pattern", "status"}:
        raise InvalidValue(f"{where}: give exactly a pattern and a status")
    pattern, status = rule["pattern"], _known_status(rule["status"], where)
    if not isinstance(pattern, str) or not pattern.strip():
        raise InvalidValue(f"{where}: the pattern must be a non-empty text")
    if re.fullmatch(r"[\w\s'’!,.:-]+", pattern):
        if not fold(pattern):
            raise InvalidValue(f"{where}: the pattern {pattern!r} has no letters or digits")
        return re.compile(rf"\b{re.escape(fold(pattern))}\b"), status
    try:
        stripped = "".join(c for c in unicodedata.normalize("NFKD", pattern) if not unicodedata.combining(c))
        compiled = re.compile(stripped, re.IGNORECASE)
    except re.error as e:
        raise InvalidValue(f"{where}: bad pattern {pattern!r}: {e}") from None
    if compiled.search(""):
        raise InvalidValue(f"{where}: the pattern {pattern!r} matches every rating")
    return compiled, status


# Export


def to_claimreview(
    claim: dict, *, reviewer: dict, mapping: dict = DEFAULT_MAPPING, review_url: str | None = None
) -> dict:
    """One schema.org ClaimReview JSON-LD object for a claim shaped like `model.get_claim`'s result."""
    rating = mapping["export"].get(claim.get("status") or "unconfirmed")
    if rating is None:
        raise InvalidValue(f"no ClaimReview rating for status {claim.get('status')!r}")
    name = " ".join(str((reviewer or {}).get("name") or "").split())
    if not name:
        raise InvalidValue("the reviewer needs a name")
    author = {"@type": reviewer.get("type") or "Organization", "name": name}
    if reviewer.get("url"):
        author["url"] = parse_url(reviewer["url"], "reviewer URL")
    appearances = [appearance for report in _reports(claim) if len(appearance := _appearance(report)) > 1]
    kinds = {a.get("actor"): a.get("kind") for a in claim.get("attributions") or [] if a.get("role") == "asserts"}
    claimants = [
        {"@type": "Person" if kinds.get(n) == "person" else "Organization", "name": n}
        for n in claim.get("asserted_by") or []
    ]
    item = without_empty(
        {
            "@type": "Claim",
            "author": claimants,
            "datePublished": claim.get("said_on"),
            "appearance": appearances,
            "firstAppearance": appearances[0] if appearances else None,
        }
    )
    return without_empty(
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": review_url,
            "claimReviewed": claim["text"],
            "itemReviewed": item,
            "author": author,
            "reviewRating": {"@type": "Rating", **rating},
            "datePublished": _review_date(claim),
            "inLanguage": claim.get("language"),
        }
    )


def _reports(claim: dict) -> list[dict]:
    """The reports of a claim, earliest first (`model.get_claim`'s `reports`), else the claim itself in its source."""
    if claim.get("reports"):
        return claim["reports"]
    source = claim.get("source") or {}
    return [
        {
            "url": source.get("url"),
            "source": source.get("title"),
            "outlet": source.get("outlet"),
            "published": source.get("published"),
            "text": claim.get("text"),
            "language": claim.get("language"),
        }
    ]


def _appearance(report: dict) -> dict:
    """A report of a claim as a CreativeWork: its source (url, headline, publisher, date) and the report's text."""
    publisher = {"@type": "Organization", "name": report["outlet"]} if report.get("outlet") else None
    return without_empty(
        {
            "@type": "CreativeWork",
            "url": report.get("url"),
            "headline": report.get("source"),
            "publisher": publisher,
            "datePublished": report.get("published"),
            "text": report.get("text"),
            "inLanguage": report.get("language"),
        }
    )


def export_claimreviews(
    claims: Iterable[dict], *, reviewer: dict, mapping: dict = DEFAULT_MAPPING, base_url: str | None = None
) -> list[dict]:
    """ClaimReviews of the reviewed claims (status changed, or not unconfirmed), linked to their Datasette page.

    A claim reported several times (reports linked as the same claim) is one review, of its first report, with
    every report as an appearance; the other reports are left out.
    """
    return [
        review_of(claim, reviewer=reviewer, mapping=mapping, base_url=base_url)
        for claim in claims
        if is_reviewed(claim)
    ]


def is_reviewed(claim: dict) -> bool:
    """A claim gets a review if it is a claim's first report and its status changed or is not unconfirmed."""
    first_report = claim.get("group_id", claim.get("id")) == claim.get("id")
    changed = any(change.get("from") for change in claim.get("history") or [])
    return first_report and (claim.get("status") != "unconfirmed" or changed)


def review_of(claim: dict, *, reviewer: dict, mapping: dict = DEFAULT_MAPPING, base_url: str | None = None) -> dict:
    """The ClaimReview of one claim, linked to its Datasette page when `base_url` is given."""
    review_url = f"{base_url.rstrip('/')}/claims/claims/{claim['id']}" if base_url else None
    return to_claimreview(claim, reviewer=reviewer, mapping=mapping, review_url=review_url)


def _review_date(claim: dict) -> str:
    """Date of the latest status change after the initial status, else today."""
    changes = [h for h in claim.get("history") or [] if h.get("from") and (h.get("on") or h.get("recorded_at"))]
    return (changes[-1].get("on") or changes[-1]["recorded_at"])[:10] if changes else datetime.date.today().isoformat()
