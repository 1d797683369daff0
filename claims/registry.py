"""Sources, actors and the vocabulary as the database holds them: each recorded once, found by name, key or id.

What every other module of the core looks up before it writes (a source, an actor, a status or role
checked against its lookup table, a claim's row). It imports no module that writes claims.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable

from sqlite_utils import Database

from .db import current_user, now, write_transaction
from .errors import AlreadyExists, InvalidValue, NotFound
from .evidence import SourceText, set_archive_url, write_text
from .values import (
    MAX_NAME_LENGTH,
    fold,
    optional_text,
    parse_country,
    parse_date,
    parse_language,
    parse_url,
    require_text,
)
from .vocabulary import ROLE_OPTIONS

# Vocabulary: the lookup tables created by the migrations are the authority.


def vocabulary(db: Database, table: str) -> list[dict]:
    """Rows of a lookup table (statuses, roles, actor_kinds, qualifiers), in their order."""
    order = "rank" if "rank" in db[table].columns_dict else "rowid"
    return list(db[table].rows_where(order_by=order))


def _check_name(db: Database, table: str, value: str | None, what: str) -> str:
    name = (value or "").strip()
    allowed = [row["name"] for row in vocabulary(db, table)]
    if name not in allowed:
        raise InvalidValue(f"unknown {what} {value!r}: expected one of {', '.join(allowed)}")
    return name


def check_status(db: Database, status: str | None) -> str:
    """Return `status` if it is an allowed status, else raise InvalidValue."""
    return _check_name(db, "statuses", status, "status")


def check_role(db: Database, role: str | None) -> str:
    """The attribution role `role` names: `confirms`, or its column or option (`confirmed_by`, `--confirmed-by`).

    Anything else is refused, with the closest role suggested (`confirmed` -> confirms).
    """
    spellings = {}
    for row in vocabulary(db, "roles"):
        for spelling in (row["name"], row["claims_column"]):
            spellings[_role_key(spelling)] = row["name"]
    spellings.update({_role_key(option): role_name for option, role_name in ROLE_OPTIONS.items()})
    key = _role_key(role or "")
    if key in spellings:
        return spellings[key]
    names = [row["name"] for row in vocabulary(db, "roles")]
    close = difflib.get_close_matches(key, list(spellings), n=1, cutoff=0.6)
    hint = f" (did you mean {spellings[close[0]]}?)" if close else ""
    raise InvalidValue(f"unknown role {role!r}{hint}: expected one of {', '.join(names)}")


def _role_key(spelling: str) -> str:
    return spelling.strip().lstrip("-").replace("_", "-").lower()


def check_kind(db: Database, kind: str | None) -> str:
    """Return `kind` if it is an allowed actor kind, else raise InvalidValue."""
    return _check_name(db, "actor_kinds", kind, "actor kind")


# Sources


def add_source(
    db: Database,
    title: str,
    *,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    language: str | None = None,
    archive_url: str | None = None,
    text: SourceText | None = None,
    recorded_by: str | None = None,
) -> int:
    """Record a source (article, report, post), with its full text if given; return its id. Refuses a duplicate."""
    source = _clean_source(title, url, outlet, published, language, archive_url)
    existing = _matching_source_id(db, source)
    if existing is not None:
        raise AlreadyExists(f"this source is already recorded as source {existing}")
    timestamp = now()
    with write_transaction(db):
        source_id = db["sources"].insert(source | {"created_at": timestamp}).last_pk
        if text is not None:
            write_text(db, source_id, text, reason=None, user=current_user(recorded_by), timestamp=timestamp)
    return source_id


def find_matching_source(
    db: Database,
    title: str,
    *,
    url: str | None = None,
    outlet: str | None = None,
    published: str | None = None,
    language: str | None = None,
    archive_url: str | None = None,
) -> int | None:
    """Id of the recorded source these fields describe (same URL, or same title, outlet and date), or None."""
    return _matching_source_id(db, _clean_source(title, url, outlet, published, language, archive_url))


def _clean_source(title, url, outlet, published, language, archive_url=None) -> dict:
    return {
        "title": require_text(title, "source title", MAX_NAME_LENGTH * 2),
        "url": parse_url(url, "source URL") if optional_text(url) else None,
        "outlet": optional_text(outlet, "outlet", MAX_NAME_LENGTH),
        "published": parse_date(published, "publication date") if optional_text(published) else None,
        "language": parse_language(language) if optional_text(language) else None,
        "archive_url": parse_url(archive_url, "archive URL") if optional_text(archive_url) else None,
    }


def _matching_source_id(db: Database, source: dict) -> int | None:
    if source["url"]:
        where, args = "url = ?", [source["url"]]
    else:
        where = "url is null and title = ? and outlet is ? and published is ?"
        args = [source["title"], source["outlet"], source["published"]]
    rows = list(db["sources"].rows_where(where, args, select="id", limit=1))
    return rows[0]["id"] if rows else None


def given_ref(ref: str | int | None) -> bool:
    return ref is not None and str(ref).strip() != ""


def get_source(db: Database, ref: str | int) -> dict:
    """The source whose id or URL is `ref`."""
    text = str(ref).strip()
    if text.isascii() and text.isdigit():
        rows = list(db["sources"].rows_where("id = ?", [int(text)]))
    else:
        rows = list(db["sources"].rows_where("url = ?", [text]))
    if not rows:
        raise NotFound(f"no source {text!r}: give a source id or URL (see 'claims source list')")
    return rows[0]


def list_sources(db: Database) -> list[dict]:
    """Every source with the number of claims recorded from it and the length of the text it keeps (or None)."""
    return list(
        db.query(
            "select sources.*, (select count(*) from claims where claims.source_id = sources.id) as claims, "
            "(select length(body) from source_texts where source_id = sources.id) as text_characters "
            "from sources order by id"
        )
    )


def keep_source(
    db: Database,
    source_id: int,
    *,
    text: SourceText | None = None,
    archive_url: str | None = None,
    reason: str | None = None,
    recorded_by: str | None = None,
) -> dict:
    """Store a recorded source's text and/or archived copy in one transaction; say what changed.

    Replacing a different text or archive URL needs `reason`; the value replaced is kept in `source_changes`.
    """
    if text is None and not optional_text(archive_url):
        raise InvalidValue("nothing to keep: give a file (--file) or an archived copy (--archive-url)")
    reason = optional_text(reason, "reason")
    url = parse_url(archive_url, "archive URL") if optional_text(archive_url) else None
    user, timestamp = current_user(recorded_by), now()
    with write_transaction(db):
        source_id = get_source(db, source_id)["id"]
        outcome = {"source_id": source_id, "text": None, "archive_url": None}
        if text is not None:
            outcome["text"] = write_text(db, source_id, text, reason=reason, user=user, timestamp=timestamp)
        if url is not None:
            outcome["archive_url"] = set_archive_url(db, source_id, url, reason=reason, user=user, timestamp=timestamp)
    return outcome


# Actors


def add_actor(
    db: Database,
    name: str,
    *,
    kind: str,
    country: str | None = None,
    aliases: Iterable[str] = (),
) -> int:
    """Record an actor and its aliases; return its id.

    Names and aliases match case-, accent- and punctuation-insensitively, so an
    alias that already names another actor is refused.
    """
    name = require_text(name, "actor name", MAX_NAME_LENGTH)
    kind = check_kind(db, kind)
    country = parse_country(country) if optional_text(country) else None
    spellings = {}
    for alias in [name, *aliases]:
        alias = require_text(alias, "actor alias", MAX_NAME_LENGTH)
        key = fold(alias)
        if not key:
            raise InvalidValue(f"actor name or alias {alias!r} has no letters or digits")
        spellings.setdefault(key, alias)
    for key, alias in spellings.items():
        owner = _actor_id_by_key(db, key)
        if owner is not None:
            owner_name = db["actors"].get(owner)["name"]
            raise AlreadyExists(f"{alias!r} already names actor {owner_name!r} (id {owner})")
    with write_transaction(db):
        actor_id = db["actors"].insert({"name": name, "kind": kind, "country": country, "created_at": now()}).last_pk
        db["actor_aliases"].insert_all(
            {"actor_id": actor_id, "alias": alias, "match_key": key} for key, alias in spellings.items()
        )
    return actor_id


def update_actor(
    db: Database, actor_id: int, *, kind: str | None = None, country: str | None = None, aliases: Iterable[str] = ()
) -> bool:
    """Bring an actor's kind, country and aliases in line (aliases are only ever added); return whether it changed."""
    actor = db["actors"].get(actor_id)
    changes = {}
    if kind and check_kind(db, kind) != actor["kind"]:
        changes["kind"] = kind
    if optional_text(country) and parse_country(country) != actor["country"]:
        changes["country"] = parse_country(country)
    new_aliases = {}
    for alias in aliases:
        alias = require_text(alias, "actor alias", MAX_NAME_LENGTH)
        owner = _actor_id_by_key(db, fold(alias))
        if owner is None:
            new_aliases.setdefault(fold(alias), alias)
        elif owner != actor_id:
            raise AlreadyExists(f"{alias!r} already names actor {db['actors'].get(owner)['name']!r} (id {owner})")
    if not changes and not new_aliases:
        return False
    with write_transaction(db):
        if changes:
            db["actors"].update(actor_id, changes)
        db["actor_aliases"].insert_all(
            {"actor_id": actor_id, "alias": alias, "match_key": key} for key, alias in new_aliases.items()
        )
    return True


def _actor_id_by_key(db: Database, key: str) -> int | None:
    rows = list(db["actor_aliases"].rows_where("match_key = ?", [key], select="actor_id", limit=1))
    return rows[0]["actor_id"] if rows else None


def find_actor_id(db: Database, name: str) -> int | None:
    """Id of the actor called `name` or one of its aliases (ignoring case and accents), or None."""
    return _actor_id_by_key(db, fold(name or ""))


def get_actor(db: Database, name: str, *, hint: str = "") -> dict:
    """The actor called `name`; if there is none, the error suggests close matches."""
    name = require_text(name, "actor name")
    actor_id = find_actor_id(db, name)
    if actor_id is not None:
        return db["actors"].get(actor_id)
    aliases = {row["match_key"]: row["actor_id"] for row in db["actor_aliases"].rows}
    close = difflib.get_close_matches(fold(name), list(aliases), n=5, cutoff=0.6)
    names = list(dict.fromkeys(db["actors"].get(aliases[key])["name"] for key in close))
    message = f"unknown actor {name!r}"
    if names:
        message += f" (did you mean {', '.join(names[:3])}?)"
    raise NotFound(message + (f": {hint}" if hint else ""))


def list_actors(db: Database) -> list[dict]:
    """Every actor, with its other spellings and how many claims it is party to."""
    return [
        row | {"aliases": json.loads(row["aliases"])}
        for row in db.query(
            "select actors.*, "
            "(select json_group_array(alias) from actor_aliases "
            " where actor_id = actors.id and alias != actors.name) as aliases, "
            "(select count(distinct claim_id) from attributions where actor_id = actors.id) as claims "
            "from actors order by name collate nocase"
        )
    ]


def actor_keys(db: Database) -> dict[str, str]:
    """Every matching key (folded name or alias) and the name of the actor it belongs to."""
    return {
        row["match_key"]: row["name"]
        for row in db.query(
            "select actor_aliases.match_key, actors.name from actor_aliases join actors on actors.id = actor_aliases.actor_id"
        )
    }


def actor_kinds(db: Database) -> dict[str, str]:
    """Every actor's name and kind."""
    return {row["name"]: row["kind"] for row in db.query("select name, kind from actors")}


def measure_names(db: Database) -> list[str]:
    """The measure names the figures use, the most used first (then by name)."""
    return [
        row["measure"]
        for row in db.query("select measure, count(*) as n from figures group by measure order by n desc, measure")
    ]


# Claims


def get_claim_row(db: Database, claim_id: int) -> dict:
    rows = list(db["claims"].rows_where("id = ?", [claim_id]))
    if not rows:
        raise NotFound(f"no claim with id {claim_id}")
    return rows[0]


# Lookups by prefix, for shell completion: each one indexed range query, as fast on a million claims as on ten.

COMPLETION_LIMIT = 50
_AFTER_EVERY_KEY = "\U0010ffff"  # the last code point: key <= k < key + this means k starts with key


def actors_by_prefix(db: Database, prefix: str, limit: int = COMPLETION_LIMIT) -> list[dict]:
    """Actors with a name or alias starting with `prefix` (ignoring case, accents, punctuation), each once, at most `limit`."""
    key = fold(prefix)
    rows = db.query(
        "select actors.name, actors.kind, actors.country from actor_aliases "
        "join actors on actors.id = actor_aliases.actor_id "
        "where actor_aliases.match_key >= ? and actor_aliases.match_key < ? order by actor_aliases.match_key",
        [key, key + _AFTER_EVERY_KEY],
    )
    actors: dict[str, dict] = {}
    for row in rows:
        actors.setdefault(row["name"], row)
        if len(actors) >= limit:
            break
    return list(actors.values())


def statuses_by_prefix(db: Database, prefix: str) -> list[dict]:
    """Statuses (name and meaning) starting with `prefix`, ignoring case, in their usual order."""
    return [row for row in vocabulary(db, "statuses") if fold(row["name"]).startswith(fold(prefix))]


def sources_by_id_prefix(db: Database, digits: str, limit: int = COMPLETION_LIMIT) -> list[dict]:
    """The most recent sources (id and title) whose id starts with `digits` (any id when empty), at most `limit`.

    The ids starting with 12 are 12, 120-129, 1200-1299...: one range of the primary key
    per length, read from the longest (most recent) down.
    """
    if digits and not (digits.isascii() and digits.isdigit() and digits[0] != "0"):
        return []
    top = db.execute("select max(id) from sources").fetchone()[0] or 0
    ranges = [] if digits else [(0, top)]
    first, scale = int(digits or 0), 1
    while digits and first * scale <= top:
        ranges.insert(0, (first * scale, (first + 1) * scale - 1))
        scale *= 10
    found: list[dict] = []
    for low, high in ranges:
        found += db.query(
            "select id, title from sources where id between ? and ? order by id desc limit ?",
            [low, high, limit - len(found)],
        )
        if len(found) >= limit:
            break
    return found
