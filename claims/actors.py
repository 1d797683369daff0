"""Mending actors once a typo or a second name is in: aliases, rename, merge, delete, each logged in `actor_changes`.

A renamed or merged actor keeps every old name as an alias, so that files and commands using it still
find the actor. Claims' per-role columns are rewritten in the same transaction.
"""

from __future__ import annotations

import json

from sqlite_utils import Database

from . import registry
from .db import current_user, now, write_transaction
from .errors import AlreadyExists, InvalidValue
from .values import MAX_NAME_LENGTH, fold, require_text
from .writing import ClaimWriter, supersedes


def add_aliases(db: Database, name: str, aliases: list[str], *, reason: str | None = None, recorded_by=None) -> dict:
    """Give an actor more names; return it. An alias that names another actor is refused."""
    actor = registry.get_actor(db, name)
    if not aliases:
        raise InvalidValue("give at least one alias")
    known = {row["match_key"] for row in db["actor_aliases"].rows_where("actor_id = ?", [actor["id"]])}
    new = [alias for alias in aliases if fold(require_text(alias, "actor alias", MAX_NAME_LENGTH)) not in known]
    if not new:
        raise InvalidValue(f"{actor['name']!r} already has these names")
    with write_transaction(db):
        registry.update_actor(db, actor["id"], aliases=new)
        _log(db, actor["id"], "alias", None, new, reason or "Aliases added.", recorded_by)
    return actor


def rename_actor(db: Database, name: str, new_name: str, *, reason: str, recorded_by=None) -> dict:
    """Give an actor another display name; the old one stays an alias. Returns the old and new names."""
    reason = require_text(reason, "reason")
    actor = registry.get_actor(db, name)
    new_name = require_text(new_name, "actor name", MAX_NAME_LENGTH)
    if new_name == actor["name"]:
        raise InvalidValue(f"the actor is already called {new_name!r}")
    owner = registry.find_actor_id(db, new_name)
    if owner is not None and owner != actor["id"]:
        other = db["actors"].get(owner)["name"]
        raise AlreadyExists(f"{new_name!r} already names actor {other!r}: 'claims actor merge' makes them one")
    with write_transaction(db):
        if owner is None:
            registry.update_actor(db, actor["id"], aliases=[new_name])
        db["actors"].update(actor["id"], {"name": new_name})
        _log(db, actor["id"], "rename", actor["name"], new_name, reason, recorded_by)
        _rewrite_claims_of(db, actor["id"], recorded_by)
    return {"old": actor["name"], "new": new_name}


def merge_actors(db: Database, name: str, into: str, *, reason: str, recorded_by=None) -> dict:
    """Make actor `name` one with actor `into`: every attribution and name moves to `into`, then `name` goes.

    Where both had a role on the same claim, the one of `into` stays (the other is kept in the claim's revisions).
    """
    reason = require_text(reason, "reason")
    source, target = registry.get_actor(db, name), registry.get_actor(db, into)
    if source["id"] == target["id"]:
        raise InvalidValue(f"{name!r} and {into!r} are the same actor ({source['name']!r})")
    writer = ClaimWriter(db, user=current_user(recorded_by), timestamp=now())
    with write_transaction(db):
        snapshot = _snapshot(db, source["id"])
        claims = _claims_of(db, source["id"])
        before = {claim_id: writer.party_lists(claim_id) for claim_id in claims}
        taken = {
            (row[0], row[1])
            for row in db.execute("select claim_id, role from attributions where actor_id = ?", [target["id"]])
        }
        moved = dropped = 0
        for attribution_id, claim_id, role in db.execute(
            "select id, claim_id, role from attributions where actor_id = ?", [source["id"]]
        ).fetchall():
            if (claim_id, role) in taken or _other_stance(db, target["id"], claim_id, role):
                db["attributions"].delete(attribution_id)
                dropped += 1
            else:
                db["attributions"].update(attribution_id, {"actor_id": target["id"]})
                moved += 1
        db.execute("update actor_aliases set actor_id = ? where actor_id = ?", [target["id"], source["id"]])
        db["actors"].delete(source["id"])
        _log(db, target["id"], "merge", snapshot, target["name"], reason, recorded_by)
        for claim_id in claims:
            writer.record_party_change(
                claim_id, before[claim_id], f"Actor {source['name']!r} merged into {target['name']!r}: {reason}"
            )
    return {"from": source["name"], "into": target["name"], "moved": moved, "dropped": dropped, "claims": len(claims)}


def delete_actor(db: Database, name: str, *, reason: str, recorded_by=None) -> dict:
    """Remove an actor that no claim names (e.g. created by mistake); the log keeps what it was."""
    reason = require_text(reason, "reason")
    actor = registry.get_actor(db, name)
    count = db.execute(
        "select count(distinct claim_id) from attributions where actor_id = ?", [actor["id"]]
    ).fetchone()[0]
    if count:
        raise InvalidValue(
            f"{actor['name']!r} is party to {count} claim{'s' if count != 1 else ''}: "
            "'claims actor merge' moves them to another actor first"
        )
    with write_transaction(db):
        _log(db, actor["id"], "delete", _snapshot(db, actor["id"]), None, reason, recorded_by)
        db["actor_aliases"].delete_where("actor_id = ?", [actor["id"]])
        db["actors"].delete(actor["id"])
    return actor


def actor_changes(db: Database, name: str | None = None) -> list[dict]:
    """The log of actor changes (all, or one actor's), oldest first."""
    where, args = ("", [])
    if name:
        where, args = "actor_id = ?", [registry.get_actor(db, name)["id"]]
    return [
        row | {"old_value": json.loads(row["old_value"]), "new_value": json.loads(row["new_value"])}
        for row in db["actor_changes"].rows_where(where or None, args, order_by="id")
    ]


def _snapshot(db: Database, actor_id: int) -> dict:
    actor = db["actors"].get(actor_id)
    aliases = [row["alias"] for row in db["actor_aliases"].rows_where("actor_id = ?", [actor_id], order_by="id")]
    return {key: actor[key] for key in ("id", "name", "kind", "country")} | {"aliases": aliases}


def _claims_of(db: Database, actor_id: int) -> list[int]:
    return [row[0] for row in db.execute("select distinct claim_id from attributions where actor_id = ?", [actor_id])]


def _other_stance(db: Database, actor_id: int, claim_id: int, role: str) -> bool:
    """Whether the actor already takes another stance on the claim (it takes one at most)."""
    roles = [
        row[0]
        for row in db.execute("select role from attributions where actor_id = ? and claim_id = ?", [actor_id, claim_id])
    ]
    return any(supersedes(role, other) for other in roles)


def _rewrite_claims_of(db: Database, actor_id: int, recorded_by) -> None:
    writer = ClaimWriter(db, user=current_user(recorded_by), timestamp=now())
    for claim_id in _claims_of(db, actor_id):
        writer.sync_party_columns(claim_id)


def _log(db: Database, actor_id: int, action: str, old, new, reason: str, recorded_by) -> None:
    db["actor_changes"].insert(
        {
            "actor_id": actor_id,
            "action": action,
            "old_value": json.dumps(old, ensure_ascii=False),
            "new_value": json.dumps(new, ensure_ascii=False),
            "reason": reason,
            "recorded_by": current_user(recorded_by),
            "recorded_at": now(),
        }
    )
