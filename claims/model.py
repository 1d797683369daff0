"""The domain: sources, actors, claims, attributions, status changes and figures.

Pure functions over a sqlite-utils `Database`. Every write is one transaction:
it lands whole or not at all. Every value is validated before anything is written.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
from collections.abc import Iterable, Sequence

from sqlite_utils import Database

from . import counts
from .db import write_transaction
from .errors import AlreadyExists, InvalidValue, NotFound
from .evidence import SourceText, text_summary, write_text
from .migrations import ROLE_OPTIONS
from .records import DEFAULT_STATUS, ClaimRecord
from .writing import (
    WRITTEN_TABLES,
    ClaimWriter,
    Stance,
    claim_id_by_key,
    role_columns,
)
from .values import (
    MAX_NAME_LENGTH,
    Figure,
    fold,
    identity_key,
    optional_text,
    parse_country,
    parse_date,
    parse_language,
    parse_url,
    require_text,
)

STANCE_REASON = "Stance recorded with 'claims stance'."


def now() -> str:
    """The current UTC time as an ISO 8601 string, to the second."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_user(given: str | None = None) -> str:
    """Who is recording: `given`, else $CLAIMS_USER, else the login name."""
    import getpass

    name = optional_text(given, "user name", MAX_NAME_LENGTH) or optional_text(os.environ.get("CLAIMS_USER"))
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


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


def _given(ref: str | int | None) -> bool:
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
        for row in db.query("select actor_aliases.match_key, actors.name from actor_aliases join actors on actors.id = actor_aliases.actor_id")
    }


def actor_kinds(db: Database) -> dict[str, str]:
    """Every actor's name and kind."""
    return {row["name"]: row["kind"] for row in db.query("select name, kind from actors")}


def measure_names(db: Database) -> list[str]:
    """The measure names the figures use, the most used first (then by name)."""
    return [row["measure"] for row in db.query(
        "select measure, count(*) as n from figures group by measure order by n desc, measure")]


# Claims


def add_claim(
    db: Database,
    text: str,
    *,
    source: str | int,
    parties: Sequence[tuple[str, str]] = (),
    status: str | None = None,
    reason: str | None = None,
    is_quote: bool = False,
    said_on: str | None = None,
    language: str | None = None,
    translation: str | None = None,
    notes: str | None = None,
    figures: Sequence[Figure] = (),
    create_actors: bool = False,
    recorded_by: str | None = None,
) -> int:
    """Record a claim with its parties `(actor, role)`, figures and initial status; return its id.

    A claim whose text is the same as a recorded one of the same source, but for case, spacing, quotation
    marks or final punctuation, is refused as a duplicate of it.
    """
    record = ClaimRecord(
        text=require_text(text, "claim text"),
        source={},
        translation=optional_text(translation, "translation"),
        language=parse_language(language) if optional_text(language) else None,
        quote=bool(is_quote),
        said_on=parse_date(said_on, "date said") if optional_text(said_on) else None,
        notes=optional_text(notes, "notes"),
        status=check_status(db, status or DEFAULT_STATUS),
        reason=optional_text(reason, "reason"),
        figures=list(figures),
    )
    source_row = get_source(db, source)
    roles = [check_role(db, role) for _, role in parties]
    writer = ClaimWriter(db, user=current_user(recorded_by), timestamp=now(), create_actors=create_actors)
    with write_transaction(db):
        existing = claim_id_by_key(db, source_row["id"], identity_key(record.text))
        if existing is not None:
            raise AlreadyExists(_duplicate_message(db, existing, source_row["id"], record.text))
        stances = [Stance(writer.actor(actor)[0], role) for (actor, _), role in zip(parties, roles)]
        claim_id = counts.next_ids(db, ["claims"])["claims"]
        rows = writer.new_claim_rows(claim_id, record, source_row, list({(s.actor_id, s.role): s for s in stances}.values()))
        for table in WRITTEN_TABLES:
            writer.insert(table, rows[table])
    return claim_id


def _duplicate_message(db: Database, claim_id: int, source_id: int, text: str) -> str:
    recorded = db.execute("select text from claims where id = ?", [claim_id]).fetchone()[0]
    how = "" if recorded == text else " (the same text but for case, spacing, quotation marks or final punctuation)"
    return f"this claim is already recorded from source {source_id} as claim {claim_id}{how}"


def get_claim_row(db: Database, claim_id: int) -> dict:
    rows = list(db["claims"].rows_where("id = ?", [claim_id]))
    if not rows:
        raise NotFound(f"no claim with id {claim_id}")
    return rows[0]


def set_status(
    db: Database,
    claim_id: int,
    status: str,
    *,
    reason: str,
    evidence: str | None = None,
    on: str | None = None,
    recorded_by: str | None = None,
) -> dict:
    """Change a claim's status, recording why in its history; return the change.

    A report linked as the same claim as others is one claim with them: the status of every report changes.
    """
    status = check_status(db, status)
    reason = require_text(reason, "reason")
    evidence = parse_url(evidence, "evidence URL") if optional_text(evidence) else None
    on = parse_date(on, "date of the change") if optional_text(on) else datetime.date.today().isoformat()
    timestamp, user = now(), current_user(recorded_by)
    with write_transaction(db):
        claim = get_claim_row(db, claim_id)
        if claim["status"] == status:
            raise InvalidValue(f"claim {claim_id} is already {status}")
        from .links import group_of

        changes = set_reports_status(
            db, group_of(db, claim_id), status, reason=reason, user=user, timestamp=timestamp, evidence=evidence, on=on
        )
    return {
        "claim_id": claim_id, "from": claim["status"], "to": status, "reason": reason, "evidence": evidence, "on": on, "by": user,
        "reports": [change["claim_id"] for change in changes],
    }  # fmt: skip


def set_reports_status(
    db: Database,
    claim_ids: list[int],
    status: str,
    *,
    reason: str,
    user: str,
    timestamp: str,
    evidence: str | None = None,
    on: str | None = None,
) -> list[dict]:
    """Give these reports `status` (inside the caller's transaction), each change kept in its history."""
    on = on or datetime.date.today().isoformat()
    changes = []
    placeholders = ", ".join("?" for _ in claim_ids)
    for report_id, old in db.execute(f"select id, status from claims where id in ({placeholders}) order by id", claim_ids).fetchall():
        if old == status:
            continue
        db["status_changes"].insert(
            {"claim_id": report_id, "from_status": old, "to_status": status, "reason": reason, "evidence_url": evidence,
             "changed_on": on, "recorded_at": timestamp, "recorded_by": user}  # fmt: skip
        )
        db["claims"].update(report_id, {"status": status, "status_changed_at": timestamp, "updated_at": timestamp})
        changes.append({"claim_id": report_id, "from": old, "to": status})
    return changes


def add_stance(
    db: Database,
    claim_id: int,
    actor: str,
    role: str,
    *,
    source: str | int | None = None,
    on: str | None = None,
    reason: str | None = None,
    create_actor: bool = False,
    recorded_by: str | None = None,
) -> dict:
    """Record a party's position on an existing claim (e.g. Pyongyang later confirms).

    A new stance (confirms, denies, not-confirmed, disputes) by an actor supersedes the actor's earlier one:
    the claim's columns show the new one, the revision keeps the old. Returns the stance and what it superseded.
    """
    role = check_role(db, role)
    on = parse_date(on, "date of the stance") if optional_text(on) else None
    reason = optional_text(reason, "reason") or STANCE_REASON
    source_id = get_source(db, source)["id"] if _given(source) else None
    get_claim_row(db, claim_id)
    writer = ClaimWriter(db, user=current_user(recorded_by), timestamp=now(), create_actors=create_actor)
    with write_transaction(db):
        actor_id, name = writer.actor(actor)
        try:
            superseded = writer.add_stance(claim_id, Stance(actor_id, role, source_id, on), reason)
        except InvalidValue as e:
            raise AlreadyExists(str(e)) from None
    return {"claim_id": claim_id, "actor": name, "role": role, "superseded": [row["role"] for row in superseded]}


def _decode_parties(row: dict, columns: Iterable[str]) -> dict:
    """The claim row with its per-role actor columns as lists and is_quote as a bool."""
    for column in columns:
        row[column] = json.loads(row[column])
    row["is_quote"] = bool(row["is_quote"])
    return row


def list_claims(
    db: Database,
    *,
    status: str | None = None,
    by: str | None = None,
    source: str | int | None = None,
    search: str | None = None,
    limit: int | None = None,
) -> list[dict]:
    """Claims matching every given filter (status, asserting actor, source, full-text search), at most `limit`."""
    where, args = [], []
    if optional_text(status):
        where.append("claims.status = ?")
        args.append(check_status(db, status))
    if optional_text(by):
        where.append("claims.id in (select claim_id from attributions where actor_id = ? and role = 'asserts')")
        args.append(get_actor(db, by)["id"])
    if _given(source):
        where.append("claims.source_id = ?")
        args.append(get_source(db, source)["id"])
    if optional_text(search):
        query = db.quote_fts(search.strip())
        if not query:
            raise InvalidValue(f"search {search!r} has no words to look for")
        where.append("claims.rowid in (select rowid from claims_fts where claims_fts match ?)")
        args.append(query)
    sql = (
        "select claims.*, sources.title as source from claims join sources on sources.id = claims.source_id"
        + (" where " + " and ".join(where) if where else "")
        + " order by claims.id"
        + (" limit ?" if limit else "")
    )
    if limit:
        args.append(limit)
    columns = list(role_columns(db).values())
    return [_decode_parties(row, columns) for row in db.query(sql, args)]


def get_claim(db: Database, claim_id: int) -> dict:
    """Everything about one claim: source, attributions, figures and status history."""
    claim = _decode_parties(get_claim_row(db, claim_id), role_columns(db).values())
    claim["status_meaning"] = db["statuses"].get(claim["status"])["meaning"]
    claim["source"] = db["sources"].get(claim.pop("source_id"))
    claim["source"]["text"] = text_summary(db, claim["source"]["id"])
    claim["attributions"] = list(
        db.query(
            "select actors.name as actor, attributions.role, actors.kind, "
            "attributions.source_id, attributions.stated_on from attributions "
            "join actors on actors.id = attributions.actor_id where claim_id = ? order by attributions.id",
            [claim_id],
        )
    )
    claim["figures"] = [
        {**row, "text": Figure.from_row(row).describe()}
        for row in db["figures"].rows_where(
            "claim_id = ?", [claim_id], select="measure, qualifier, low, high, unit", order_by="id"
        )
    ]
    claim["history"] = list(
        db.query(
            'select from_status as "from", to_status as "to", reason, evidence_url as evidence, '
            "changed_on as on_date, recorded_at, recorded_by from status_changes where claim_id = ? order by id",
            [claim_id],
        )
    )
    for change in claim["history"]:
        change["on"] = change.pop("on_date")
    claim["revisions"] = [
        row | {"old_value": json.loads(row["old_value"]), "new_value": json.loads(row["new_value"])}
        for row in db["revisions"].rows_where(
            "claim_id = ?", [claim_id], select="field, old_value, new_value, reason, recorded_by, recorded_at", order_by="id"
        )
    ]
    from .links import claim_links, reports_of

    claim["reports"] = reports_of(db, claim_id)
    claim["links"] = claim_links(db, claim_id, [report["claim_id"] for report in claim["reports"]])
    return claim


# Matching


def candidate_links(
    db: Database,
    *,
    claim_id: int | None = None,
    source: str | int | None = None,
    min_score: float,
    limit: int | None = None,
) -> list[tuple]:
    """Candidate links (matching.Candidate) of one claim, of a source's claims, or of every claim against those
    recorded before it; best first, each with the two claims' texts."""
    from .matching import candidate_pairs

    if claim_id is not None:
        get_claim_row(db, claim_id)
        ids, earlier_only = [claim_id], False
    elif _given(source):
        source_id = get_source(db, source)["id"]
        ids, earlier_only = (row[0] for row in db.execute("select id from claims where source_id = ? order by id", [source_id])), False
    else:
        ids, earlier_only = (row[0] for row in db.execute("select id from claims order by id")), True
    pairs = candidate_pairs(db, ids, min_score=min_score, limit=limit, earlier_only=earlier_only)
    ids = list({i for pair in pairs for i in (pair.claim_id, pair.other_id)})
    texts = dict(db.execute(f"select id, text from claims where id in ({', '.join('?' for _ in ids)})", ids).fetchall())
    return [(pair, (texts.get(pair.claim_id), texts.get(pair.other_id))) for pair in pairs]


def next_claim_id(db: Database) -> int:
    """The id the next claim recorded will get."""
    return counts.next_ids(db, ["claims"])["claims"]


def claim_ids_from(db: Database, first_id: int) -> list[int]:
    """Ids of the claims recorded since `first_id` (see `counts.next_ids`), e.g. by an import."""
    return [row[0] for row in db.execute("select id from claims where id >= ? order by id", [first_id])]
