"""Changing a recorded claim without losing anything: edits keep revisions, deletion is retraction.

Revisions, status history and the purge log are append-only in the database itself;
a claim's rows can only be removed once its purge, with a snapshot of everything it
held, is in the purge log.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from . import model
from .db import write_transaction
from .errors import AlreadyExists, InvalidValue
from .links import regroup
from .values import Figure, optional_text, parse_date, parse_figure, parse_language, require_text
from .writing import ClaimWriter

UNCHANGED: Any = object()  # an edit argument left out: keep the current value
RETRACTED = "retracted"


def edit_claim(
    db: Database,
    claim_id: int,
    *,
    reason: str,
    text: str | None = UNCHANGED,
    translation: str | None = UNCHANGED,
    source: str | int | None = UNCHANGED,
    language: str | None = UNCHANGED,
    said_on: str | None = UNCHANGED,
    notes: str | None = UNCHANGED,
    is_quote: bool | None = UNCHANGED,
    figures: Sequence[Figure] | None = UNCHANGED,
    recorded_by: str | None = None,
) -> list[dict]:
    """Change some of a claim's fields; each change is kept in `revisions` with who, when and why.

    Arguments left out are not changed; an empty translation, language, date or notes clears it.
    """
    reason = require_text(reason, "reason")
    wanted: dict[str, Any] = {}
    if text is not UNCHANGED:
        wanted["text"] = require_text(text, "claim text")
    if translation is not UNCHANGED:
        wanted["translation"] = optional_text(translation, "translation")
    if source is not UNCHANGED:
        wanted["source_id"] = model.get_source(db, source)["id"]
    if language is not UNCHANGED:
        wanted["language"] = parse_language(language) if optional_text(language) else None
    if said_on is not UNCHANGED:
        wanted["said_on"] = parse_date(said_on, "date said") if optional_text(said_on) else None
    if notes is not UNCHANGED:
        wanted["notes"] = optional_text(notes, "notes")
    if is_quote is not UNCHANGED and is_quote is not None:
        wanted["is_quote"] = int(bool(is_quote))
    if not wanted and figures is UNCHANGED:
        raise InvalidValue("nothing to change: give at least one field to edit")
    writer = ClaimWriter(db, user=model.current_user(recorded_by), timestamp=model.now())
    with write_transaction(db):
        model.get_claim(db, claim_id)  # raises NotFound
        try:
            revisions = writer.change_fields(claim_id, wanted, reason)
        except InvalidValue as e:
            raise AlreadyExists(str(e)) from None
        if figures is not UNCHANGED:
            revisions += filter(None, [writer.set_figures(claim_id, list(figures), reason)])
        if not revisions:
            raise InvalidValue(f"nothing to change: claim {claim_id} already has these values")
    return revisions


def readable_value(field: str, value: Any) -> str:
    """A revision's old or new value as a person reads it: `(empty)`, `yes`/`no`, `source 3`, lists joined."""
    if value is None or value == []:
        return "(empty)"
    if field == "is_quote":
        return "yes" if value else "no"
    if field == "source_id":
        return f"source {value}"
    if isinstance(value, list):
        return "; ".join(_figure_text(item) if field == "figures" else _item_text(item) for item in value)
    return _item_text(value)


def _item_text(item: Any) -> str:
    """`Seoul`; a party as exports write it, `{actor, date, source}`, as `Pyongyang (2025-09-02, source 2)`."""
    if not isinstance(item, dict):
        return str(item)
    details = [str(item["date"])] if item.get("date") else []
    details += [f"source {item['source']}"] if item.get("source") else []
    rest = ", ".join(f"{key}: {value}" for key, value in item.items() if key not in ("actor", "date", "source"))
    name = str(item.get("actor", rest))
    return f"{name} ({', '.join(details)})" if details else name


def _figure_text(spec: str) -> str:
    """`troops_sent: more than 10,000 soldiers` for `troops_sent=>10000 soldiers` (the spec itself if unreadable)."""
    try:
        figure = parse_figure(spec)
    except (InvalidValue, TypeError):
        return str(spec)
    return f"{figure.measure}: {figure.describe()}"


def retract_claim(db: Database, claim_id: int, *, reason: str, recorded_by: str | None = None) -> dict:
    """'Delete' a claim the way a newsroom does: its status becomes retracted, with the reason; nothing is removed."""
    return model.set_status(db, claim_id, RETRACTED, reason=reason, recorded_by=recorded_by)


def purge_claim(db: Database, claim_id: int, *, reason: str, recorded_by: str | None = None) -> dict:
    """Remove a claim and everything attached to it, after logging a full snapshot of it in `purges`."""
    reason = require_text(reason, "reason")
    with write_transaction(db):
        snapshot = model.get_claim(db, claim_id)
        entry = {
            "claim_id": claim_id,
            "claim": json.dumps(snapshot, ensure_ascii=False),
            "reason": reason,
            "recorded_by": model.current_user(recorded_by),
            "recorded_at": model.now(),
        }
        db["purges"].insert(entry)
        for table in ("revisions", "status_changes", "figures", "attributions"):
            db[table].delete_where("claim_id = ?", [claim_id])
        db["claim_links"].delete_where("claim_id = ? or other_id = ?", [claim_id, claim_id])
        regroup(db, [report["claim_id"] for report in snapshot["reports"]])  # its other reports, one claim without it
        db["claims"].delete(claim_id)
    return entry
