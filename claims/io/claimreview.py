"""ClaimReview (schema.org JSON-LD) export and import: pure functions, no database, no printing.

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
import html
import json
import re
import unicodedata
from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from ..errors import InvalidValue
from ..vocabulary import PARTY_COLUMNS, STATUS_NAMES
from ..records import source_identity
from ..values import (
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    fold,
    identity_key,
    parse_date,
    parse_language,
    parse_url,
)

RATING_FIELDS = ("alternateName", "ratingValue", "bestRating", "worstRating")

_RULES = [
    (r"\bcontext|\bkontext|misleading|trompeu|irrefuhrend|deceptive|enganoso", "disputed"),
    (r"\bretract|zuruckgezogen", "retracted"),
    (r"\bdenied\b|\bdenies\b|\bdementi|\bbestritten", "denied"),
    (r"unproven|unverifi|unsubstantiated|not proven|no evidence|insufficient evidence|unconfirmed|non verifi"
     r"|inverifiable|non prouve|non confirme|unbelegt|unbestatigt|nicht belegt|research in progress", "unconfirmed"),
    (r"half (true|false)|a moitie (vrai|faux)|halb (wahr|richtig|falsch)|mixture|\bmixed\b|outdated|disput"
     r"|\bpart(ly|ially) (true|false|correct|accurate)|partiellement|en partie|teilweise|exaggerat|exagere"
     r"|ubertrieben|plus complique|contest|umstritten|imprecis|ungenau", "disputed"),
    (r"\bfalse\b|\bfaux\b|\bfausse|\bfalsch|pants (on )?fire|barely true|\bincorrect|\binaccurate|\binexact"
     r"|\buntrue|\bwrong\b|not (true|correct|accurate)|pas vrai|nicht (wahr|richtig)|fabricat|\baltered|manipul"
     r"|\bfake\b|satir|\bhoax|\bscam\b|miscaptioned|misattributed|montage|erfunden|\bfals[oa]\b|\bintox\b", "false"),
    (r"(mostly|largely) (true|correct|accurate)|plutot (vrai|exact)|(grosstenteils|weitgehend|uberwiegend)"
     r" (richtig|wahr)|corroborat|corrobore", "corroborated"),
    (r"\btrue\b|\bvrai\b|\bcorrect\b|\baccurate\b|\bexact\b|\brichtig\b|\bwahr\b|\bconfirm|\bbestatigt"
     r"|\bverified\b|\bverdader[oa]\b", "confirmed"),
]


_SHARES = [(0.25, "false"), (0.75, "disputed"), (1, "corroborated"), (float("inf"), "confirmed")]


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
    claimants = [{"@type": "Person" if kinds.get(n) == "person" else "Organization", "name": n}
                 for n in claim.get("asserted_by") or []]
    item = _drop_empty({"@type": "Claim", "author": claimants, "datePublished": claim.get("said_on"),
                        "appearance": appearances, "firstAppearance": appearances[0] if appearances else None})
    return _drop_empty({"@context": "https://schema.org", "@type": "ClaimReview", "url": review_url,
                        "claimReviewed": claim["text"], "itemReviewed": item, "author": author,
                        "reviewRating": {"@type": "Rating", **rating}, "datePublished": _review_date(claim),
                        "inLanguage": claim.get("language")})


def _reports(claim: dict) -> list[dict]:
    """The reports of a claim, earliest first (`model.get_claim`'s `reports`), else the claim itself in its source."""
    if claim.get("reports"):
        return claim["reports"]
    source = claim.get("source") or {}
    return [{"url": source.get("url"), "source": source.get("title"), "outlet": source.get("outlet"),
             "published": source.get("published"), "text": claim.get("text"), "language": claim.get("language")}]


def _appearance(report: dict) -> dict:
    """A report of a claim as a CreativeWork: its source (url, headline, publisher, date) and the report's text."""
    publisher = {"@type": "Organization", "name": report["outlet"]} if report.get("outlet") else None
    return _drop_empty({"@type": "CreativeWork", "url": report.get("url"), "headline": report.get("source"),
                        "publisher": publisher, "datePublished": report.get("published"), "text": report.get("text"),
                        "inLanguage": report.get("language")})


def export_claimreviews(
    claims: Iterable[dict], *, reviewer: dict, mapping: dict = DEFAULT_MAPPING, base_url: str | None = None
) -> list[dict]:
    """ClaimReviews of the reviewed claims (status changed, or not unconfirmed), linked to their Datasette page.

    A claim reported several times (reports linked as the same claim) is one review, of its first report, with
    every report as an appearance; the other reports are left out.
    """
    base = base_url.rstrip("/") if base_url else None
    return [
        to_claimreview(claim, reviewer=reviewer, mapping=mapping,
                       review_url=f"{base}/claims/claims/{claim['id']}" if base else None)
        for claim in claims
        if claim.get("group_id", claim.get("id")) == claim.get("id")
        and (claim.get("status") != "unconfirmed" or any(h.get("from") for h in claim.get("history") or []))
    ]


def _review_date(claim: dict) -> str:
    """Date of the latest status change after the initial status, else today."""
    changes = [h for h in claim.get("history") or [] if h.get("from") and (h.get("on") or h.get("recorded_at"))]
    return (changes[-1].get("on") or changes[-1]["recorded_at"])[:10] if changes else datetime.date.today().isoformat()


def _drop_empty(obj: dict) -> dict:
    return {k: v for k, v in obj.items() if v not in (None, "", [], {})}


# Import: finding the ClaimReviews


class _LdJsonScripts(HTMLParser):
    """Collects the text of every <script type="application/ld+json"> block of a page."""

    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self.inside = False

    def handle_starttag(self, tag, attrs):
        kind = "".join((dict(attrs).get("type") or "").split()).lower()
        self.inside = tag == "script" and kind.startswith("application/ld+json")
        self.blocks += [""] if self.inside else []

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "script"

    def handle_data(self, data):
        if self.inside:
            self.blocks[-1] += data


def _documents(data: str, origin: str, warnings: list[str]) -> list[tuple[str, object]]:
    """The JSON values of the input: the whole of it if it is JSON, else each ld+json block of the page."""
    text = data.lstrip("\ufeff \t\r\n")
    if text[:1] in ("{", "["):
        try:
            return [(origin, json.loads(text, strict=False))]
        except (json.JSONDecodeError, RecursionError) as e:
            raise InvalidValue(f"{origin}: invalid JSON: {_json_error(e)}") from None
    parser = _LdJsonScripts()
    parser.feed(data)
    parser.close()
    if not parser.blocks:
        raise InvalidValue(f"{origin}: neither JSON nor an HTML page with application/ld+json scripts")
    documents = []
    for number, block in enumerate(parser.blocks, 1):
        block = re.sub(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$", "", block.strip())
        try:
            documents.append((f"{origin} block {number}", json.loads(block, strict=False)))
        except (json.JSONDecodeError, RecursionError) as e:
            warnings.append(f"{origin} block {number}: invalid JSON: {_json_error(e)}")
    return documents


def _json_error(e: Exception) -> str:
    return f"{e.msg} at line {e.lineno}" if isinstance(e, json.JSONDecodeError) else "nested too deeply"


def _walk(root) -> list[dict]:
    """Every object in a JSON value, in document order (iterative: hostile nesting cannot overflow)."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.append(node)
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def _types(node: dict) -> set[str]:
    raw = node.get("@type")
    return {re.split(r"[:/#]", t.strip())[-1] for t in (raw if isinstance(raw, list) else [raw]) if isinstance(t, str)}


# Import: reading messy values


class _Reader:
    """Reads the values of one ClaimReview, resolving {"@id"} references and reporting what it drops."""

    def __init__(self, where: str, warnings: list[str], ids: dict):
        self.where, self.warnings, self.ids = where, warnings, ids

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.where}: {message}")

    def node(self, value) -> dict:
        value = next((v for v in value if isinstance(v, dict)), {}) if isinstance(value, list) else value
        if isinstance(value, dict) and set(value) == {"@id"}:
            return self.ids.get(value["@id"], value)
        return value if isinstance(value, dict) else {}

    def text(self, value) -> str | None:
        if isinstance(value, list):
            value = next((t for t in map(self.text, value) if t), None)
        if isinstance(value, dict):
            value = self.node(value)
            value = value.get("@value", value.get("name"))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        return (html.unescape(value).strip() or None) if isinstance(value, str) else None

    def name(self, value) -> str | None:
        text = self.text(value)
        return " ".join(text.split()) if text else None

    def names(self, value) -> list[str]:
        names = [n for n in map(self.name, value if isinstance(value, list) else [value]) if n]
        for name in names:
            if len(name) > MAX_NAME_LENGTH:
                self.warn(f"name of {len(name):,} characters dropped")
        return list(dict.fromkeys(n for n in names if len(n) <= MAX_NAME_LENGTH))

    def url(self, value, what: str) -> str | None:
        text = self.text(value.get("@id") if isinstance(value, dict) and "@id" in value else value)
        try:
            return parse_url(text, what) if text else None
        except InvalidValue as e:
            self.warn(f"{e}: left empty")

    def date(self, value, what: str) -> str | None:
        text = self.text(value)
        try:
            return parse_date(_iso_date(text), what) if text else None
        except ValueError as e:  # from _iso_date: "ambiguous" or "unparseable"
            self.warn(f"{e} {what} {text!r}: left empty")
        except InvalidValue as e:  # a date in the future, or no such day
            self.warn(f"{e}: left empty")

    def language(self, value) -> str | None:
        node = self.node(value)
        text = self.text(node.get("alternateName") or node.get("name") if node else value)
        try:
            return parse_language(text) if text else None
        except InvalidValue:
            self.warn(f"unrecognised inLanguage {text!r}: left empty")


_MONTHS = {
    name: number
    for number, names in enumerate([
        "january jan janvier janv januar janner", "february feb fevrier fevr februar", "march mar mars marz",
        "april apr avril avr", "may mai", "june jun juin juni", "july jul juillet juil juli", "august aug aout",
        "september sep sept septembre", "october oct octobre oktober okt", "november nov novembre",
        "december dec decembre dezember dez",
    ], 1)
    for name in names.split()
}


def _iso_date(text: str) -> str:
    """YYYY[-MM[-DD]] from ISO 8601, 'May 1, 2024', '1er mai 2024', '2. Mai 2024' or an unambiguous dd/mm/yyyy."""
    if match := re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]\d.*)?", text):
        return "-".join(f"{int(part):02d}" for part in match.groups() if part)
    if match := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text):
        a, b, year = map(int, match.groups())
        readings = {_valid_date(year, b, a), _valid_date(year, a, b)} - {None}
        if len(readings) != 1:
            raise ValueError("ambiguous" if readings else "unparseable")
        return readings.pop()
    words = [re.sub(r"^(\d+)(?:er|st|nd|rd|th)$", r"\1", w) for w in fold(text).split()]
    months = [_MONTHS.get(w) for w in words]
    if len(words) == 3 and re.fullmatch(r"\d{4}", words[2]):
        for month, day in ((months[0], words[1]), (months[1], words[0])):
            if month and day.isascii() and day.isdigit() and (date := _valid_date(int(words[2]), month, int(day))):
                return date
    if len(words) == 2 and months[0] and re.fullmatch(r"\d{4}", words[1]):
        return f"{words[1]}-{months[0]:02d}"
    raise ValueError("unparseable")


def _valid_date(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _number(value) -> float | None:
    try:
        return float(str(value).strip()) if value is not None and not isinstance(value, bool) else None
    except ValueError:
        return None


# Import: one ClaimReview, one canonical record


def parse_claimreviews(
    data: str, *, mapping: dict = DEFAULT_MAPPING, origin: str = "<input>"
) -> tuple[list[dict], list[str]]:
    """(canonical claim records, warnings) from ClaimReview JSON-LD or an HTML page; a warning per thing dropped.

    A review gives one record per appearance of the claim (each in its own source), linked as the same claim;
    reviews of the same claim (the same claimReviewed text, or an appearance in common) are linked as well.
    """
    reviews, warnings = read_reviews(data, mapping=mapping, origin=origin)
    return [record for _, record in reviews], warnings


def read_reviews(
    data: str, *, mapping: dict = DEFAULT_MAPPING, origin: str = "<input>"
) -> tuple[list[tuple[str, dict]], list[str]]:
    """What `parse_claimreviews` reads, each record with where it comes from ("review 2", "review 2 appearance 3")."""
    warnings: list[str] = []
    reviews, found = [], 0
    for where, document in _documents(data, origin, warnings):
        nodes = _walk(document)
        ids = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
        found_here = [n for n in nodes if "ClaimReview" in _types(n)]
        for number, review in enumerate(found_here, 1):
            read = _Reader(f"{where} item {number}", warnings, ids)
            reviews += [read_review] if (read_review := _records(review, read, mapping)) else []
        found += len(found_here)
    if not found:
        raise InvalidValue(f"{origin}: no ClaimReview found" + (f" ({'; '.join(warnings)})" if warnings else ""))
    return _linked(reviews), warnings


@dataclass
class _Review:
    """The records of one ClaimReview, the text it reviews and its date."""

    records: list[dict]
    reviewed: str
    reviewed_on: str | None


def _records(review: dict, read: _Reader, mapping: dict) -> _Review | None:
    """The records of one ClaimReview: one per appearance of the claim (else one, in the review as its source)."""
    item = read.node(review.get("itemReviewed"))
    text = read.text(review.get("claimReviewed")) or read.text(item.get("name"))
    if not text:
        read.warn("skipped: no claimReviewed text")
        return None
    reviewer = ", ".join(read.names(review.get("author")) or read.names(review.get("publisher")))
    url = read.url(review.get("url"), "review url")
    reviewed_on = read.date(review.get("datePublished"), "datePublished")
    language = read.language(review.get("inLanguage") or item.get("inLanguage"))
    said_on = read.date(item.get("datePublished"), "itemReviewed datePublished")
    status, reason, notes = _judge(read.node(review.get("reviewRating")), reviewer, reviewed_on, mapping, read)
    review_source = {"title": read.name(review.get("headline")) or read.name(review.get("name"))
                     or f"ClaimReview by {reviewer or 'an unnamed fact-checker'}",
                     "url": url, "outlet": ", ".join(read.names(review.get("publisher"))) or reviewer or None,
                     "published": reviewed_on, "language": language}  # fmt: skip
    notes = "; ".join(([f"ClaimReview: {url}"] if url else []) + notes) or None
    shared = {
        "translation": None, "quote": False, "notes": notes,
        "status": status, "reason": reason, "changes": [], **{column: [] for column in PARTY_COLUMNS.values()},
        "asserted_by": read.names(item.get("author") or item.get("creator")), "figures": [], "links": [],
    }  # fmt: skip
    records = []
    for appearance in _appearances(item, read):
        link = read.url(appearance.get("url") or appearance.get("@id"), "appearance url")
        title = read.name(appearance.get("headline")) or read.name(appearance.get("name")) or link
        if not title:
            continue
        seen_on = read.date(appearance.get("datePublished"), "appearance datePublished")
        seen_in = read.language(appearance.get("inLanguage"))
        source = {"title": title, "url": link, "outlet": ", ".join(read.names(appearance.get("publisher"))) or None,
                  "published": seen_on, "language": seen_in}  # fmt: skip
        wording = read.text(appearance.get("text"))
        if wording and len(wording) > MAX_TEXT_LENGTH:
            read.warn(f"appearance text of {len(wording):,} characters: the claimReviewed text is used")
            wording = None
        records.append({"text": wording or text, "language": seen_in or language, "said_on": said_on or seen_on,
                        **shared, "source": source})  # fmt: skip
    records = records or [{"text": text, "language": language, "said_on": said_on, **shared, "source": review_source}]
    return _Review(records, identity_key(text), reviewed_on)


def _appearances(item: dict, read: _Reader) -> list[dict]:
    """The appearances of a reviewed claim, the first appearance first, each once."""
    found: list[dict] = []
    for key in ("firstAppearance", "appearance"):
        value = item.get(key)
        for entry in value if isinstance(value, list) else [value]:
            if isinstance(entry, str) and entry.strip():
                entry = {"url": entry}
            elif isinstance(entry, dict):
                entry = read.node(entry)
            if not isinstance(entry, dict) or not entry:
                continue
            url = entry.get("url")
            if not any(other == entry or (url and other.get("url") == url) for other in found):
                found.append(entry)
    return found


def _linked(reviews: list[_Review]) -> list[tuple[str, dict]]:
    """The records of the reviews, each with where it comes from; those of one claim linked as the same claim.

    Two reviews are of one claim if they review the same text or share an appearance. The records of a claim are
    linked to its first; a record of a claim and source already read is that record: the later review's rating
    becomes a status change of it.
    """
    groups = list(range(len(reviews)))  # union-find over the reviews: groups[n] leads to the first of n's claim

    def lead(n: int) -> int:
        while groups[n] != n:
            groups[n] = n = groups[groups[n]]
        return n

    first_by_key: dict[tuple, int] = {}
    for number, review in enumerate(reviews):
        urls = {("url", record["source"]["url"]) for record in review.records if record["source"]["url"]}
        for key in {("text", review.reviewed)} | urls:
            first, mine = lead(first_by_key.setdefault(key, number)), lead(number)
            groups[max(first, mine)] = min(first, mine)
    found: list[tuple[str, dict]] = []
    by_identity: dict[tuple, dict] = {}
    anchors: dict[int, tuple[int, dict]] = {}  # the first record of each claim, and the review it comes from
    for number, review in enumerate(reviews):
        group = lead(number)
        for index, record in enumerate(review.records, 1):
            identity = (source_identity(record["source"]), identity_key(record["text"]))
            if identity in by_identity:
                _merge(by_identity[identity], record, review.reviewed_on)
                anchors.setdefault(group, (number, by_identity[identity]))
                continue
            by_identity[identity] = record
            several = len(review.records) > 1
            found.append((f"review {number + 1}" + (f" appearance {index}" if several else ""), record))
            if group not in anchors:
                anchors[group] = (number, record)
                continue
            first_review, anchor = anchors[group]
            if first_review == number:
                why = "another appearance of the claim reviewed"
            elif reviews[first_review].reviewed == review.reviewed:
                why = "the same claim reviewed again (the same claimReviewed text)"
            else:
                why = "the same claim reviewed again (an appearance in common)"
            why = f"ClaimReview: {why}"
            record["links"] = [{"relation": "same", "source": anchor["source"], "text": anchor["text"], "reason": why}]
    return found


def _merge(record: dict, later: dict, reviewed_on: str | None) -> None:
    """Fold into `record` a later review of the same claim in the same source: its rating as a status change."""
    current = record["changes"][-1]["status"] if record["changes"] else record["status"]
    if later["status"] != current:
        record["changes"].append({"status": later["status"], "reason": later["reason"], "date": reviewed_on})
    record["asserted_by"] += [name for name in later["asserted_by"] if name not in record["asserted_by"]]
    record["notes"] = "; ".join(dict.fromkeys(part for part in (record["notes"], later["notes"]) if part)) or None


def _judge(rating: dict, reviewer: str, reviewed_on: str | None, mapping: dict, read: _Reader):
    """Status, reason and notes from a reviewRating: its text first, then its number, else unconfirmed."""
    label = read.name(rating.get("alternateName"))
    raw = {k: read.text(rating.get(k)) for k in RATING_FIELDS[1:] if read.text(rating.get(k))}
    notes = ["original rating: " + ", ".join(f"{k} {v}" for k, v in raw.items())] if raw else []
    status = next((s for pattern, s in mapping["import"] if pattern.search(fold(label))), None) if label else None
    value, best, worst = (_number(rating.get(k)) for k in RATING_FIELDS[1:])
    best, worst = 5 if best is None else best, 1 if worst is None else worst
    if status is None and value is not None and value != -1 and worst <= value <= best and worst < best:
        share = (value - worst) / (best - worst)
        status = next(s for limit, s in _SHARES if share < limit)
        notes.append(f"status {status} from ratingValue {value:g} on a {worst:g}-{best:g} scale")
    if status is None:
        status = "unconfirmed"
        notes.append(f"rating {label!r} not recognised" if label else "no usable rating")
        notes[-1] += ": status unconfirmed"
        read.warn(notes[-1])
    rated = repr(label) if label else f"{raw['ratingValue']} of {worst:g}-{best:g}" if "ratingValue" in raw else "missing"
    by = f"by {reviewer or 'an unnamed fact-checker'} ({reviewed_on or 'undated'})"
    return status, f"ClaimReview rating {rated} {by}", notes
