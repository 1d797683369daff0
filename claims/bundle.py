"""Load a bundle of sources, actors and claims (the YAML shape of the bundled example).

Loading goes through the same model functions the CLI uses, in one transaction,
and is idempotent: what is already recorded (same source, actor name or claim
text in the same source) is left as it is.
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from . import model
from .errors import ClaimsError, InvalidValue
from .values import parse_figure

EXAMPLE = "seed-article.yml"
SOURCE_FIELDS = {"key", "title", "url", "outlet", "published", "language"}
ACTOR_FIELDS = {"name", "kind", "country", "aliases"}
CLAIM_FIELDS = {"source", "text", "translation", "language", "quote", "said_on", "status", "reason", "notes", "figures", "changes"}
CHANGE_FIELDS = {"status", "reason", "evidence", "date"}


def read_bundle(path: str | Path) -> dict:
    """Parse a bundle YAML file."""
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise InvalidValue(f"cannot read bundle {path}: {str(e).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise InvalidValue(f"bundle {path} must be a mapping with sources, actors and claims")
    return data


def example_path() -> Path:
    """Path of the bundled example: the claims of the seed article."""
    return Path(str(resources.files("claims") / "example" / EXAMPLE))


def load_example(db: Database) -> dict:
    """Load the bundled example into `db`; return counts of what was added."""
    return load_bundle(db, read_bundle(example_path()))


def load_bundle(db: Database, bundle: dict) -> dict:
    """Record a bundle's sources, actors and claims that are not already there; return counts added."""
    counts = {"sources": 0, "actors": 0, "claims": 0}
    columns = model.role_columns(db)
    roles_by_column = {column: role for role, column in columns.items()}
    with db.atomic():
        source_refs = {}
        for where, item in _items(bundle, "sources", SOURCE_FIELDS):
            fields = {k: _text(v) for k, v in item.items() if k != "key"}
            with _located(where):
                source_id = model.find_matching_source(db, **fields)
                if source_id is None:
                    source_id = model.add_source(db, **fields)
                    counts["sources"] += 1
            source_refs[_text(item.get("key") or source_id)] = source_id
        for where, item in _items(bundle, "actors", ACTOR_FIELDS):
            if model.find_actor_id(db, _text(item.get("name"))) is None:
                with _located(where):
                    model.add_actor(
                        db,
                        _text(item.get("name")),
                        kind=_text(item.get("kind")),
                        country=_text(item.get("country")),
                        aliases=[_text(a) for a in _list(item.get("aliases"), "aliases")],
                    )
                counts["actors"] += 1
        for where, item in _items(bundle, "claims", CLAIM_FIELDS | set(roles_by_column)):
            counts["claims"] += _load_claim(db, where, item, source_refs, roles_by_column)
    return counts


def _load_claim(db: Database, where: str, item: dict, source_refs: dict, roles_by_column: dict) -> int:
    ref = _text(item.get("source"))
    if ref not in source_refs:
        raise InvalidValue(f"{where}: unknown source {ref!r} (not among the bundle's source keys)")
    source_id = source_refs[ref]
    if model.find_claim_id(db, source_id, _text(item.get("text"))) is not None:
        return 0
    with _located(where):
        parties = [
            (_text(actor), role)
            for column, role in roles_by_column.items()
            for actor in _list(item.get(column), column)
        ]
        claim_id = model.add_claim(
            db,
            _text(item.get("text")),
            source=source_id,
            parties=parties,
            status=_text(item.get("status")),
            reason=_text(item.get("reason")),
            is_quote=bool(item.get("quote")),
            said_on=_text(item.get("said_on")),
            language=_text(item.get("language")),
            translation=_text(item.get("translation")),
            notes=_text(item.get("notes")),
            figures=[parse_figure(_text(spec)) for spec in _list(item.get("figures"), "figures")],
        )
        for change in _list(item.get("changes"), "changes"):
            unknown = set(change) - CHANGE_FIELDS if isinstance(change, dict) else {"(not a mapping)"}
            if unknown:
                raise InvalidValue(f"unknown field {', '.join(sorted(map(str, unknown)))} in a status change")
            model.set_status(
                db, claim_id, _text(change.get("status")), reason=_text(change.get("reason")),
                evidence=_text(change.get("evidence")), on=_text(change.get("date")),
            )
    return 1


@contextmanager
def _located(where: str):
    """Prefix any error raised inside with where in the bundle it happened."""
    try:
        yield
    except ClaimsError as e:
        raise type(e)(f"{where}: {e}") from None


def _items(bundle: dict, section: str, fields: set[str]):
    items = bundle.get(section) or []
    if not isinstance(items, list):
        raise InvalidValue(f"{section} must be a list")
    for number, item in enumerate(items, 1):
        where = f"{section}[{number}]"
        if not isinstance(item, dict):
            raise InvalidValue(f"{where} must be a mapping")
        unknown = set(item) - fields
        if unknown:
            raise InvalidValue(f"{where}: unknown field {', '.join(sorted(map(str, unknown)))}")
        yield where, item


def _list(value: Any, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidValue(f"{what} must be a list")
    return value


def _text(value: Any) -> str | None:
    """YAML scalars as text: dates stay ISO strings, numbers become digits."""
    if value is None:
        return None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)
