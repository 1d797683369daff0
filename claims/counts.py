"""Counts kept current by triggers, so that browsing a million claims stays fast.

`facet_counts` holds, for each facet of the claims table, how many claims have each
value: claims per status, source, language and date said, and per actor in each role
(`asserted_by`, `relayed_by`...: the actor's id). `status_changes_per_month` counts
changes of status per month and new status, for the dashboard: a change has a status
to change from (`from_status`), so the status a claim is recorded with is not one.

Triggers on `claims`, `attributions` and `status_changes` keep both exact on every
write. A bulk import may drop the insert triggers (`INSERT_TRIGGERS`), note
`next_ids()` first, and call `add_counts()` with them once its rows are in.
"""

from __future__ import annotations

from sqlite_utils import Database

from .migrations import ROLES

FACET_TABLE = "facet_counts"
MONTHLY_TABLE = "status_changes_per_month"
CLAIM_COLUMNS = ["status", "source_id", "language", "said_on"]
ROLE_COLUMNS = {role: column for role, column, _ in ROLES}
FACETS = CLAIM_COLUMNS + list(ROLE_COLUMNS.values())
COUNTED_TABLES = ["claims", "attributions", "status_changes"]
INSERT_TRIGGERS = ["claims_counts_ai", "attributions_counts_ai", "status_changes_counts_ai"]
# The facet an attribution row counts towards: the claims column of its role.
_ROLE_FACET = "(SELECT claims_column FROM roles WHERE name = {row}.role)"
_MONTH = "substr({row}.changed_on, 1, 7)"
# A status change, not the status a claim was recorded with (as of m007; m004 counted both).
_IS_CHANGE = "{row}.from_status IS NOT NULL"
MONTHLY_TRIGGERS = ["status_changes_counts_ai", "status_changes_counts_ad"]


def _increment(table: str, keys: dict[str, str]) -> str:
    columns, values = ", ".join(keys), ", ".join(keys.values())
    present = " AND ".join(f"{value} IS NOT NULL" for value in keys.values())
    return (
        f"INSERT INTO {table} ({columns}, count) SELECT {values}, 1 WHERE {present} "
        f"ON CONFLICT ({columns}) DO UPDATE SET count = count + 1;"
    )


def _decrement(table: str, keys: dict[str, str]) -> str:
    return f"UPDATE {table} SET count = count - 1 WHERE {' AND '.join(f'{k} = {v}' for k, v in keys.items())};"


def _trigger(name: str, event: str, *statements: str, when: str = "") -> tuple[str, str]:
    return name, f"CREATE TRIGGER {name} AFTER {event}{f' WHEN {when}' if when else ''} BEGIN {' '.join(statements)} END"


def triggers() -> dict[str, str]:
    """Name and SQL of every trigger that keeps the counts current."""
    claim = lambda row, column: {"facet": f"'{column}'", "value": f"{row}.{column}"}  # noqa: E731
    party = lambda row: {"facet": _ROLE_FACET.format(row=row), "value": f"{row}.actor_id"}  # noqa: E731
    change = lambda row: {"month": _MONTH.format(row=row), "status": f"{row}.to_status"}  # noqa: E731
    pairs = [
        _trigger("claims_counts_ai", "INSERT ON claims", *(_increment(FACET_TABLE, claim("NEW", c)) for c in CLAIM_COLUMNS)),
        _trigger("claims_counts_ad", "DELETE ON claims", *(_decrement(FACET_TABLE, claim("OLD", c)) for c in CLAIM_COLUMNS)),
        *(
            _trigger(
                f"claims_counts_au_{c}",
                f"UPDATE OF {c} ON claims",
                _decrement(FACET_TABLE, claim("OLD", c)),
                _increment(FACET_TABLE, claim("NEW", c)),
                when=f"OLD.{c} IS NOT NEW.{c}",
            )
            for c in CLAIM_COLUMNS
        ),
        _trigger("attributions_counts_ai", "INSERT ON attributions", _increment(FACET_TABLE, party("NEW"))),
        _trigger("attributions_counts_ad", "DELETE ON attributions", _decrement(FACET_TABLE, party("OLD"))),
        _trigger(
            "attributions_counts_au",
            "UPDATE OF role, actor_id ON attributions",
            _decrement(FACET_TABLE, party("OLD")),
            _increment(FACET_TABLE, party("NEW")),
        ),
        _trigger(
            "status_changes_counts_ai",
            "INSERT ON status_changes",
            _increment(MONTHLY_TABLE, change("NEW")),
            when=_IS_CHANGE.format(row="NEW"),
        ),
        _trigger(
            "status_changes_counts_ad",
            "DELETE ON status_changes",
            _decrement(MONTHLY_TABLE, change("OLD")),
            when=_IS_CHANGE.format(row="OLD"),
        ),
    ]
    return dict(pairs)


def create(db: Database) -> None:
    """Create the count tables and their triggers, and count what is already recorded."""
    db.execute(
        f"CREATE TABLE {FACET_TABLE} (facet TEXT NOT NULL, value NOT NULL, count INTEGER NOT NULL, "
        "PRIMARY KEY (facet, value)) WITHOUT ROWID"
    )
    db.execute(
        f"CREATE TABLE {MONTHLY_TABLE} (month TEXT NOT NULL, status TEXT NOT NULL, count INTEGER NOT NULL, "
        "PRIMARY KEY (month, status)) WITHOUT ROWID"
    )
    for sql in triggers().values():
        db.execute(sql)
    add_counts(db)


def next_ids(db: Database, tables: list[str] = COUNTED_TABLES) -> dict[str, int]:
    """The id the next row of each table will get: pass it to `add_counts()` after a bulk insert."""
    return {table: (db.execute(f"SELECT max(id) FROM [{table}]").fetchone()[0] or 0) + 1 for table in tables}


def _tallies(since: dict[str, int]) -> list[tuple[str, str, str, list]]:
    """(count table, its key columns, SELECT of keys and count, params) for rows from these ids on."""
    claims_from, attributions_from, changes_from = (since.get(table, 0) for table in COUNTED_TABLES)
    queries = [
        (
            FACET_TABLE,
            "facet, value",
            f"SELECT '{column}', {column}, count(*) FROM claims WHERE id >= ? AND {column} IS NOT NULL GROUP BY {column}",
            [claims_from],
        )
        for column in CLAIM_COLUMNS
    ]
    queries.append(
        (
            FACET_TABLE,
            "facet, value",
            # Grouped along the (actor_id, role) index, then each group named: a join per row costs seconds at 1M.
            f"SELECT {_ROLE_FACET.format(row='attributions')}, actor_id, count(*) FROM attributions WHERE id >= ? "
            "GROUP BY actor_id, role",
            [attributions_from],
        )
    )
    month = _MONTH.format(row="status_changes")
    queries.append(
        (
            MONTHLY_TABLE,
            "month, status",
            f"SELECT {month}, to_status, count(*) FROM status_changes WHERE id >= ? AND changed_on IS NOT NULL "
            f"AND {_IS_CHANGE.format(row='status_changes')} GROUP BY {month}, to_status",
            [changes_from],
        )
    )
    return queries


def add_counts(db: Database, since: dict[str, int] | None = None) -> None:
    """Count the rows of each counted table whose id is at least `since[table]` (all rows by default)."""
    for table, keys, select, params in _tallies(since or {}):
        _add(db, table, keys, select, params)


def _add(db: Database, table: str, keys: str, select: str, params: list) -> None:
    upsert = f"ON CONFLICT ({keys}) DO UPDATE SET count = count + excluded.count"
    db.execute(f"INSERT INTO {table} ({keys}, count) {select} {upsert}", params)


def recount(db: Database, tables: tuple[str, ...] = (FACET_TABLE, MONTHLY_TABLE)) -> None:
    """Count everything again from scratch (`claims check --repair`), in every count table or only those given."""
    for table in tables:
        db.execute(f"DELETE FROM {table}")
    for table, keys, select, params in _tallies({}):
        if table in tables:
            _add(db, table, keys, select, params)


def stale(db: Database) -> list[str]:
    """The count tables whose counts differ from the recorded rows (normally none)."""
    stored: dict[str, set] = {FACET_TABLE: set(), MONTHLY_TABLE: set()}
    for table in stored:
        stored[table] = set(db.execute(f"SELECT * FROM {table} WHERE count != 0").fetchall())
    actual: dict[str, set] = {FACET_TABLE: set(), MONTHLY_TABLE: set()}
    for table, _, select, params in _tallies({}):
        actual[table].update(db.execute(select, params).fetchall())
    return [table for table in stored if stored[table] != actual[table]]
