"""The claims Datasette plugin (entry point `datasette`): badges, links, readable dates, claim pages.

Every value is escaped before it is wrapped in markup; only http(s) URLs become links.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import weakref
from urllib.parse import parse_qsl, quote, urlsplit

from datasette import hookimpl
from markupsafe import Markup, escape

from ..values import Figure, fold
from ..vocabulary import PARTY_COLUMNS, ROLE_OF_COLUMN, STATUS_MEANINGS
from .facets import TABLE, CountedFacet, ListFacet, actor_filters, facet_column, role_parameter, route_facet_arguments

PLUGIN = "claims"
STATUS_COLUMNS = {"status", "from_status", "to_status"}
URL_COLUMNS = {"url", "evidence_url", "evidence"}
DATE_COLUMNS = {"said_on", "published", "changed_on", "stated_on", "dated", "first_appearance", "latest_appearance"}
LIST_COLUMNS = {"outlets", "languages"}  # claim_groups: JSON arrays of names, shown as a list
# Views whose claim_id is a claim to link to (tables link theirs through their foreign keys).
CLAIM_ID_VIEWS = {"claim_groups"}
TIMESTAMP_COLUMNS = {"created_at", "updated_at", "status_changed_at", "recorded_at"}


def status_badge(status: str) -> Markup:
    """A coloured badge for a status, with its meaning as a tooltip."""
    return Markup('<span class="claims-status claims-status-{0}" title="{1}">{0}</span>').format(
        status, STATUS_MEANINGS.get(status, "")
    )


def link_if_web(url: str | None) -> Markup:
    """An http(s) URL as a link; anything else (javascript:, data:...) as escaped text."""
    if not url:
        return Markup("")
    if urlsplit(url).scheme.lower() in ("http", "https"):
        return Markup('<a href="{0}" rel="nofollow noopener">{0}</a>').format(url)
    return escape(url)


def date_text(value: str) -> str | None:
    """30 Aug 2025 for 2025-08-30; Aug 2025 for 2025-08; the year alone for 2025; None for anything else."""
    formats = {10: ("%Y-%m-%d", "%-d %b %Y"), 7: ("%Y-%m", "%b %Y"), 4: ("%Y", "%Y")}
    parse, show = formats.get(len(value), (None, None))
    try:
        return datetime.datetime.strptime(value, parse).strftime(show) if parse else None
    except ValueError:
        return None


def readable_date(value: str) -> Markup:
    """A date as `date_text` reads it, in a <time> element; anything else escaped as it is."""
    text = date_text(value)
    if text is None:
        return escape(value)
    return Markup('<time datetime="{0}">{1}</time>').format(value, text)


def readable_timestamp(value: str) -> Markup:
    """30 Aug 2025 16:50 UTC for 2025-08-30T16:50:09Z."""
    try:
        moment = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return escape(value)
    return Markup('<time datetime="{0}">{1}</time>').format(value, moment.strftime("%-d %b %Y %H:%M UTC"))


def actor_links(names: list[str], column: str, claims_url: str) -> Markup:
    """Each actor as a link to the claims it appears in under this role."""
    if not names:
        return Markup('<span class="claims-nobody">–</span>')
    links = [
        Markup('<a class="claims-actor" href="{0}?{1}={2}">{3}</a>').format(
            claims_url, role_parameter(column), quote(name, safe=""), name
        )
        for name in names
    ]
    return Markup(", ").join(links)


def _party_names(value) -> list[str] | None:
    if not isinstance(value, str):
        return None
    if not value.startswith("["):
        return [value]
    try:
        names = json.loads(value)
    except ValueError:
        return None
    return names if isinstance(names, list) and all(isinstance(n, str) for n in names) else None


@hookimpl
def render_cell(value, column, table, database, datasette):
    if column == "claim_id" and table in CLAIM_ID_VIEWS and isinstance(value, int):
        return Markup('<a href="{0}/{1}">{1}</a>').format(datasette.urls.table(database, "claims"), value)
    if isinstance(value, dict) and column in STATUS_COLUMNS:
        value = value.get("value")  # a foreign key Datasette has expanded to {value, label}
    if not isinstance(value, str):
        return None
    if column in STATUS_COLUMNS and value in STATUS_MEANINGS:
        return status_badge(value)
    if table == "statuses" and column == "name" and value in STATUS_MEANINGS:
        return status_badge(value)
    if column in ROLE_OF_COLUMN:
        names = _party_names(value)
        if names is not None:
            return actor_links(names, column, datasette.urls.table(database, "claims"))
    if column in LIST_COLUMNS and value.startswith("["):
        names = _party_names(value)
        return escape(", ".join(names)) if names is not None else None
    if column in URL_COLUMNS:
        return link_if_web(value)
    if column in DATE_COLUMNS:
        return readable_date(value)
    if column in TIMESTAMP_COLUMNS:
        return readable_timestamp(value)
    return None


@hookimpl(tryfirst=True)
def handle_exception():
    """Let Datasette's own handler answer errors, without Rich.

    Datasette 0.65 prints every error page, 404s included, as a Rich traceback
    with local variables whenever Rich is importable (Typer brings it), and with
    Rich 15 that call itself fails for 404s raised outside an `except` block.
    Its handler runs after this hook, and without Rich it answers the same
    error pages and logs real errors plainly.
    """
    import datasette.handle_exception

    datasette.handle_exception.rich = None


@hookimpl
def register_facet_classes():
    return [CountedFacet, ListFacet]


# The claims table's page and its exports (/claims/claims, /claims/claims.json), not its rows' pages.
TABLE_PATH = re.compile(rf"^/[^/]+/{TABLE}(\.\w+)?$")


@hookimpl
def asgi_wrapper():
    """Datasette facets of counted columns asked for in a URL (`?_facet_array=asserted_by`): counted facets."""

    def wrap(app):
        async def routed(scope, receive, send):
            if scope.get("type") == "http" and TABLE_PATH.match(scope.get("path", "")):
                query = scope.get("query_string", b"").decode("utf-8", "surrogateescape")
                counted = route_facet_arguments(query)
                if counted != query:
                    scope = dict(scope, query_string=counted.encode("utf-8", "surrogateescape"))
            await app(scope, receive, send)

        return routed

    return wrap


@hookimpl
def filters_from_request(request, table):
    return actor_filters(request, table)


def figure_text(qualifier, low, high, unit) -> str | None:
    """A figure's columns as a person reads them: `more than 10,000 soldiers` (as `claims show` says it)."""
    try:
        return Figure(None, qualifier, low, high, unit).describe()
    except (KeyError, TypeError, ValueError):
        return None


@hookimpl
def prepare_connection(conn):
    """`claims_fold(name)`: the key actor names and aliases are matched on (case, accents, punctuation);
    `claims_figure_text(qualifier, low, high, unit)`: a figure as it reads."""
    conn.create_function(
        "claims_fold", 1, lambda value: fold(value) if isinstance(value, str) else None, deterministic=True
    )
    conn.create_function("claims_figure_text", 4, figure_text, deterministic=True)


@hookimpl
def register_routes():
    return [(r"^/robots\.txt$", robots_txt)]


async def robots_txt(datasette):
    """Keep search engines out, unless the instance was started with --allow-robots."""
    from datasette.utils.asgi import Response

    allowed = (datasette.plugin_config(PLUGIN) or {}).get("allow_robots", False)
    return Response.text("User-agent: *\n" + ("Disallow:\n" if allowed else "Disallow: /\n"))


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.static_plugins(PLUGIN, "claims.css")]


def describe_sources(count: int, outlets: list[str], outlet_count: int, first: str | None, last: str | None) -> str:
    """What the served claims come from: `12 sources from ATS, published 29 Aug 2025 – 30 Aug 2025`."""
    if not count:
        return "no sources recorded yet"
    text = f"{count:,} source{'s' if count != 1 else ''}"
    if outlet_count and len(outlets) == outlet_count:
        text += " from " + (f"{', '.join(outlets[:-1])} and {outlets[-1]}" if len(outlets) > 1 else outlets[0])
    elif outlet_count:
        text += f" from {outlet_count:,} outlets"
    dates = [date_text(value) or value for value in dict.fromkeys(v for v in (first, last) if v)]
    return text + (f", published {' – '.join(dates)}" if dates else "")


NAMED_OUTLETS = 3  # more outlets than this are counted, not named
_DESCRIPTIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _file_state(path: str) -> tuple:
    """Changes whenever a write is committed to the database at `path` (its file or its write-ahead log)."""
    state = []
    for name in (path, path + "-wal"):
        try:
            stat = os.stat(name)
        except OSError:
            state.append(None)
        else:
            state.append((stat.st_mtime_ns, stat.st_size))
    return tuple(state)


async def data_source(datasette, database: str | None) -> str | None:
    """The footer's "Data source" for the claims database served: its sources, counted when it last changed."""
    names = [name for name in datasette.databases if not name.startswith("_")]
    database = database or (names[0] if len(names) == 1 else None)
    db = datasette.databases.get(database) if database else None
    if db is None or not db.path:
        return None
    state = _file_state(db.path) if db.is_mutable else "immutable"
    cached = _DESCRIPTIONS.get(db)
    if cached and cached[0] == state:
        return cached[1]
    if "sources" not in await db.table_names():  # not a claims database
        return None

    def read(conn):
        count, outlet_count, first, last = conn.execute(
            "select count(*), count(distinct outlet), min(published), max(published) from sources"
        ).fetchone()
        outlets = []
        if 0 < outlet_count <= NAMED_OUTLETS:
            sql = "select distinct outlet from sources where outlet is not null order by outlet"
            outlets = [row[0] for row in conn.execute(sql)]
        return describe_sources(count, outlets, outlet_count, first, last)

    description = await db.execute_fn(read)
    _DESCRIPTIONS[db] = (state, description)
    return description


def facet_groups(
    facets: list[dict], open_names: list[str] | None, asked_for: set[str] = frozenset()
) -> tuple[list[dict], list[dict]]:
    """The facets shown open above the rows (those named, asked for in the URL or with a value chosen), and the rest.

    Open facets come in the order named; with no names given, every facet is open.
    """
    if open_names is None:
        return facets, []

    def is_open(facet: dict) -> bool:
        chosen = any(value.get("selected") for value in facet["results"])
        return facet["name"] in open_names or facet["name"] in asked_for or chosen

    rank = {name: n for n, name in enumerate(open_names)}
    shown = sorted((facet for facet in facets if is_open(facet)), key=lambda facet: rank.get(facet["name"], len(rank)))
    return shown, [facet for facet in facets if not is_open(facet)]


def facets_asked_for(request) -> set[str]:
    """The columns the URL asks facets of (`?_facet=language`, `?_facet_array=relayed_by`...)."""
    pairs = parse_qsl(request.query_string, keep_blank_values=True) if request is not None else []
    return {facet_column(value) for key, value in pairs if key.startswith("_facet") and key != "_facet_size"}


@hookimpl
def extra_template_vars(view_name, table, database, request, datasette):
    async def page_vars():
        found = {"claims_data_source": await data_source(datasette, database)}
        if view_name == "table":
            open_names = (datasette.plugin_config(PLUGIN, database=database, table=table) or {}).get("open_facets")
            asked_for = facets_asked_for(request)
            found["claims_facet_groups"] = lambda facets: facet_groups(facets, open_names, asked_for)
        if view_name == "row" and table == "claims" and request is not None:
            found |= await claim_page_vars(database, request, datasette)
        if view_name == "row" and table == "sources" and request is not None:
            found |= await source_page_vars(database, request, datasette)
        return found

    return page_vars


def link_phrases() -> list[str]:
    """The claim page's sections of links, in order ("updates", "updated by"...): `same` links are its reports."""
    from ..links import PHRASES, SAME

    return [phrase for relation, phrases in PHRASES.items() if relation != SAME for phrase in phrases]


def linked_claims(db, links: list[dict]) -> list[dict]:
    """The links of a claim page (`links.describe` dicts) but `same`, each with the other claim's text and language."""
    from ..links import SAME

    shown = [link for link in links if link["relation"] != SAME]
    ids = sorted({link["claim_id"] for link in shown})
    placeholders = ", ".join("?" for _ in ids)
    sql = f"select id, text, language from claims where id in ({placeholders})"
    found = {row[0]: row[1:] for row in db.execute(sql, ids)}
    return [
        link | dict(zip(("text", "language"), found.get(link["claim_id"], (None, None)), strict=False))
        for link in shown
    ]


async def claim_page_vars(database: str, request, datasette) -> dict:
    """What the claim page shows: the claim as `model.get_claim` reads it, and the helpers that render it."""
    from sqlite_utils import Database

    from .. import model
    from ..errors import NotFound
    from ..revisions import readable_value

    pks = request.url_vars.get("pks", "")
    if not pks.isdigit():
        return {}

    def read(conn):
        db = Database(conn, execute_plugins=False, recursive_triggers=False)
        try:
            claim = model.get_claim(db, int(pks))
        except NotFound:
            return None
        claim["links"] = linked_claims(db, claim["links"])
        claim["in_context"] = claim_in_context(db, claim)
        return claim

    claim = await datasette.get_database(database).execute_fn(read)
    return {
        "claim": claim,
        "highlighted": highlighted,
        "link_phrases": link_phrases(),
        "claims_url": datasette.urls.table(database, "claims"),
        "sources_url": datasette.urls.table(database, "sources"),
        "estimates_url": datasette.urls.query(database, "estimates_of_a_claim"),
        "role_columns": PARTY_COLUMNS,
        "status_badge": status_badge,
        "link_if_web": link_if_web,
        "readable_date": readable_date,
        "readable_timestamp": readable_timestamp,
        "actor_links": actor_links,
        "readable_value": readable_value,
    }


# Sources kept as evidence: a claim in its paragraph, a source's text with its claims marked.


def claim_in_context(db, claim: dict) -> list[tuple[str, int | None]] | None:
    """The paragraph of the source's stored text that holds the claim, cut into pieces (`evidence.pieces`), the claim's
    own marked with its id; None when the claim records no span."""
    from ..evidence import paragraph_bounds, part_spans, pieces

    start, end = claim.get("span_start"), claim.get("span_end")
    row = db.execute("select body from source_texts where source_id = ?", [claim["source"]["id"]]).fetchone()
    if start is None or end is None or row is None or end > len(row[0]):
        return None
    first, last = paragraph_bounds(row[0], start, end)
    parts = part_spans(row[0], claim["text"], start, end)  # an elided claim: its parts, not what it leaves out
    return pieces(row[0], first, last, [(part_start, part_end, claim["id"]) for part_start, part_end in parts])


def highlighted(cut: list[tuple[str, int | None]], claims_url: str | None = None, seen: set | None = None) -> Markup:
    """Pieces of a text as HTML: each escaped, those of a claim in <mark> (with `claims_url`, a link to the claim,
    the first of a claim's marks not in `seen` its anchor).

    Built from escaped pieces only: no user text is ever marked safe.
    """
    marked, seen = [], set() if seen is None else seen
    for text, claim_id in cut:
        if claim_id is None:
            marked.append(escape(text))
            continue
        anchor = Markup(' id="claim-{0}"').format(claim_id) if claim_id not in seen else Markup("")
        seen.add(claim_id)
        if claims_url is None:
            marked.append(Markup('<mark class="claims-span">{0}</mark>').format(text))
        else:
            link = Markup('<mark class="claims-span"{0}><a href="{1}/{2}" title="claim {2}">{3}</a></mark>')
            marked.append(link.format(anchor, claims_url, claim_id, text))
    return Markup("").join(marked)


def source_text_paragraphs(body: str, claims: list[dict], claims_url: str) -> list[Markup]:
    """A stored text's paragraphs as HTML, the claims in it marked (of claims that overlap, the shortest part)."""
    from ..evidence import paragraphs, part_spans, pieces

    spans = [
        (start, end, claim["id"])
        for claim in claims
        if claim["span_start"] is not None
        for start, end in part_spans(body, claim["text"], claim["span_start"], claim["span_end"])
    ]
    seen: set[int] = set()
    return [
        highlighted(pieces(body, start, end, [s for s in spans if s[0] < end and s[1] > start]), claims_url, seen)
        for start, end in paragraphs(body)
    ]


async def source_page_vars(database: str, request, datasette) -> dict:
    """What a source's page shows: its claims in the order of the article, and its stored text with them marked."""
    from ..evidence import text_summary

    pks = request.url_vars.get("pks", "")
    if not pks.isdigit():
        return {}
    claims_url = datasette.urls.table(database, "claims")

    def read(conn):
        from sqlite_utils import Database

        db = Database(conn, execute_plugins=False, recursive_triggers=False)
        source = db.execute("select id, archive_url from sources where id = ?", [int(pks)]).fetchone()
        if source is None:
            return None
        claims = [
            dict(zip(("id", "text", "status", "language", "span_start", "span_end"), row, strict=False))
            for row in db.execute(
                "select id, text, status, language, span_start, span_end from claims where source_id = ? "
                "order by span_start is null, span_start, id",
                [source[0]],
            )
        ]
        body = db.execute("select body from source_texts where source_id = ?", [source[0]]).fetchone()
        return {
            "id": source[0],
            "archive_url": source[1],
            "claims": claims,
            "text": text_summary(db, source[0]),
            "paragraphs": source_text_paragraphs(body[0], claims, claims_url) if body else [],
        }

    source = await datasette.get_database(database).execute_fn(read)
    if source is None:
        return {}
    return {
        "source_page": source,
        "highlighted": highlighted,
        "status_badge": status_badge,
        "link_if_web": link_if_web,
        "readable_timestamp": readable_timestamp,
        "claims_url": claims_url,
        "source_changes_url": datasette.urls.table(database, "source_changes"),
    }
