"""Counts kept current by triggers, so that browsing a million claims stays fast.

`facet_counts` holds, for each facet of the claims table, how many rows (reports) have
each value: reports per status, source, language and date said, and per actor in each
role (`asserted_by`, `relayed_by`...: the actor's id). `status_changes_per_month` counts
changes of status per month and new status, for the dashboard: a change has a status
to change from (`from_status`), so the status a claim is recorded with is not one.

A claim reported several times (reports linked as `same`, `claims.links`) counts once (as
of m009). `claims_per_status` counts claims, by the first report of each (`id = group_id`),
per status. `claim_group_counts` holds, for each claim reported more than once, its status,
number of reports and outlets, first and latest appearance, outlets and languages (the
`claim_groups` view). What its reports repeat of each other is counted for these claims
only: `repeated_parties`, the reports beyond the first that name an actor in a role (a
claim's parties are those of all its reports), and `repeated_status_changes`, the copies
of a change of the claim on its other reports (one change, recorded at one time on each).
Reports less repeats are claims: `facet_counts` less `repeated_parties` counts claims per
actor and role, `status_changes_per_month` less `repeated_status_changes` changes of claims.
These tables grow with the claims reported more than once, not with all claims.

Triggers on `claims`, `sources`, `attributions` and `status_changes` keep them exact on
every write. A bulk import may drop the insert triggers (`INSERT_TRIGGERS`), note
`next_ids()` first, and call `add_counts()` with them once its rows are in.
"""

from __future__ import annotations

from sqlite_utils import Database

from .vocabulary import PARTY_COLUMNS

FACET_TABLE = "facet_counts"
MONTHLY_TABLE = "status_changes_per_month"
CLAIMS_TABLE = "claims_per_status"
GROUPS_TABLE = "claim_group_counts"
PARTY_REPEATS_TABLE = "repeated_parties"
CHANGE_REPEATS_TABLE = "repeated_status_changes"
TALLIED_TABLES = (FACET_TABLE, MONTHLY_TABLE, CLAIMS_TABLE)  # (key..., count) rows, added to row by row
REPEATS_TABLES = (PARTY_REPEATS_TABLE, CHANGE_REPEATS_TABLE)  # (key..., count) rows, counted per claim
COUNT_TABLES = (*TALLIED_TABLES, GROUPS_TABLE, *REPEATS_TABLES)
FACETED_COLUMNS = ["status", "source_id", "language", "said_on"]
FACETS = FACETED_COLUMNS + list(PARTY_COLUMNS.values())
COUNTED_TABLES = ["claims", "attributions", "status_changes"]
INSERT_TRIGGERS = [
    "claims_counts_ai",
    "attributions_counts_ai",
    "status_changes_counts_ai",
    "claims_per_status_ai",
    "attributions_repeats_bi",
    "attributions_repeats_ai",
    "status_changes_repeats_bi",
    "status_changes_repeats_ai",
]
# The facet an attribution row counts towards: the claims column of its role.
_ROLE_FACET = "(SELECT claims_column FROM roles WHERE name = {row}.role)"
_MONTH = "substr({row}.changed_on, 1, 7)"
# A status change, not the status a claim was recorded with (as of m007; m004 counted both).
_IS_CHANGE = "{row}.from_status IS NOT NULL"
MONTHLY_TRIGGERS = ["status_changes_counts_ai", "status_changes_counts_ad"]
# A claims row that is the first report of its claim (a claim counts once: by this row).
_IS_LEAD = "{row}.id = {row}.group_id"
# The counts of each claim reported more than once whose reports have a group_id {group}, from its reports.
_GROUP_ROW = (
    "SELECT reports.group_id, max(CASE WHEN reports.id = reports.group_id THEN reports.status END), count(*), "
    "count(DISTINCT sources.outlet), min(coalesce(sources.published, reports.dated)), "
    "max(coalesce(sources.published, reports.dated)), "
    "json_group_array(DISTINCT sources.outlet) FILTER (WHERE sources.outlet IS NOT NULL), "
    "json_group_array(DISTINCT reports.language) FILTER (WHERE reports.language IS NOT NULL) "
    "FROM claims AS reports JOIN sources ON sources.id = reports.source_id "
    "WHERE reports.group_id {group} GROUP BY reports.group_id HAVING count(*) > 1"
)
GROUP_COLUMNS = (
    "claim_id",
    "status",
    "reports",
    "outlets_count",
    "first_appearance",
    "latest_appearance",
    "outlets",
    "languages",
)
# What the reports of each claim reported more than once (group_id {group}) repeat of each other, per key.
_REPEATS = {
    PARTY_REPEATS_TABLE: (
        "facet, value",
        "SELECT (SELECT claims_column FROM roles WHERE name = parties.role) AS k0, parties.actor_id AS k1, "
        "count(*) - 1 AS n "
        "FROM claims AS reports JOIN attributions AS parties ON parties.claim_id = reports.id "
        "WHERE reports.group_id {group} GROUP BY reports.group_id, parties.role, parties.actor_id HAVING count(*) > 1",
    ),
    CHANGE_REPEATS_TABLE: (
        "month, status",
        "SELECT substr(changes.changed_on, 1, 7) AS k0, changes.to_status AS k1, "
        "count(*) - count(DISTINCT changes.recorded_at) AS n "
        "FROM claims AS reports JOIN status_changes AS changes ON changes.claim_id = reports.id "
        "WHERE reports.group_id {group} AND changes.from_status IS NOT NULL AND changes.changed_on IS NOT NULL "
        "GROUP BY reports.group_id, 1, 2 HAVING count(DISTINCT reports.id) > 1 "
        "AND count(*) > count(DISTINCT changes.recorded_at)",
    ),
}
# Every group of more than one report: each has a report that is not its first.
_EVERY_GROUP = "IN (SELECT group_id FROM claims WHERE group_id != id)"
# The claim of report {claim} has other reports: only then can its reports repeat each other.
_REPORTED_AGAIN = (
    f"EXISTS (SELECT 1 FROM {GROUPS_TABLE} WHERE claim_id = (SELECT group_id FROM claims WHERE id = {{claim}}))"
)


def _increment(table: str, keys: dict[str, str], when: str = "") -> str:
    columns, values = ", ".join(keys), ", ".join(keys.values())
    present = " AND ".join([f"{value} IS NOT NULL" for value in keys.values()] + ([when] if when else []))
    return (
        f"INSERT INTO {table} ({columns}, count) SELECT {values}, 1 WHERE {present} "
        f"ON CONFLICT ({columns}) DO UPDATE SET count = count + 1;"
    )


def _decrement(table: str, keys: dict[str, str], when: str = "") -> str:
    matching = [f"{k} = {v}" for k, v in keys.items()] + ([when] if when else [])
    return f"UPDATE {table} SET count = count - 1 WHERE {' AND '.join(matching)};"


def _recount_groups(group: str) -> tuple[str, str]:
    """Statements that count again the claims whose group_id is {group} (dropped once reported only once)."""
    return (
        f"DELETE FROM {GROUPS_TABLE} WHERE claim_id {group};",
        f"INSERT INTO {GROUPS_TABLE} ({', '.join(GROUP_COLUMNS)}) {_GROUP_ROW.format(group=group)};",
    )


def _repeats(table: str, group: str, sign: int) -> str:
    """The statement that adds (sign 1) or takes away (-1) what the reports of these claims repeat, to `table`."""
    keys, select = _REPEATS[table]
    return (
        f"INSERT INTO {table} ({keys}, count) SELECT k0, k1, {sign} * sum(n) FROM ({select.format(group=group)}) "
        f"WHERE true GROUP BY k0, k1 ON CONFLICT ({keys}) DO UPDATE SET count = count + excluded.count;"
    )


def _trigger(name: str, event: str, *statements: str, when: str = "", before: bool = False) -> tuple[str, str]:
    moment, when = "BEFORE" if before else "AFTER", f" WHEN {when}" if when else ""
    return name, f"CREATE TRIGGER {name} {moment} {event}{when} BEGIN {' '.join(statements)} END"


def triggers() -> dict[str, str]:
    """Name and SQL of every trigger that keeps the counts current."""
    claim = lambda row, column: {"facet": f"'{column}'", "value": f"{row}.{column}"}
    party = lambda row: {"facet": _ROLE_FACET.format(row=row), "value": f"{row}.actor_id"}
    change = lambda row: {"month": _MONTH.format(row=row), "status": f"{row}.to_status"}
    pairs = [
        _trigger(
            "claims_counts_ai", "INSERT ON claims", *(_increment(FACET_TABLE, claim("NEW", c)) for c in FACETED_COLUMNS)
        ),
        _trigger(
            "claims_counts_ad", "DELETE ON claims", *(_decrement(FACET_TABLE, claim("OLD", c)) for c in FACETED_COLUMNS)
        ),
        *(
            _trigger(
                f"claims_counts_au_{c}",
                f"UPDATE OF {c} ON claims",
                _decrement(FACET_TABLE, claim("OLD", c)),
                _increment(FACET_TABLE, claim("NEW", c)),
                when=f"OLD.{c} IS NOT NEW.{c}",
            )
            for c in FACETED_COLUMNS
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
        *_claim_triggers(),
    ]
    return dict(pairs)


def _claim_triggers() -> list[tuple[str, str]]:
    """The triggers that count claims once (`claims_per_status`) and claims reported more than once (m009)."""

    def status(row: str) -> dict[str, str]:
        return {"status": f"{row}.status"}

    def lead(row: str) -> str:
        return _IS_LEAD.format(row=row)

    in_source = "IN (SELECT group_id FROM claims WHERE source_id = NEW.id)"
    return [
        _trigger("claims_per_status_ai", "INSERT ON claims", _increment(CLAIMS_TABLE, status("NEW")), when=lead("NEW")),
        _trigger("claims_per_status_ad", "DELETE ON claims", _decrement(CLAIMS_TABLE, status("OLD")), when=lead("OLD")),
        _trigger(
            "claims_per_status_au",
            "UPDATE OF status, group_id ON claims",
            _decrement(CLAIMS_TABLE, status("OLD"), when=lead("OLD")),
            _increment(CLAIMS_TABLE, status("NEW"), when=lead("NEW")),
            when="OLD.status IS NOT NEW.status OR OLD.group_id IS NOT NEW.group_id",
        ),
        # A report written into a claim already recorded (claims itself writes new claims alone, in a group of one).
        _trigger(
            "claims_groups_ai",
            "INSERT ON claims",
            *_recount_groups("= NEW.group_id"),
            when="NEW.group_id IS NOT NEW.id AND NEW.group_id IS NOT NULL",
        ),
        _trigger("claims_groups_ad", "DELETE ON claims", *_recount_groups("= OLD.group_id")),
        _trigger(
            "claims_groups_au_group_id",
            "UPDATE OF group_id ON claims",
            *_recount_groups("= OLD.group_id"),
            *_recount_groups("= NEW.group_id"),
            when="OLD.group_id IS NOT NEW.group_id",
        ),
        _trigger(
            "claims_groups_au_report",
            "UPDATE OF status, dated, source_id, language ON claims",
            *_recount_groups("= NEW.group_id"),
            when=f"EXISTS (SELECT 1 FROM {GROUPS_TABLE} WHERE claim_id = NEW.group_id)",
        ),
        _trigger(
            "sources_groups_au",
            "UPDATE OF outlet ON sources",
            *_recount_groups(in_source),
            when="OLD.outlet IS NOT NEW.outlet",
        ),
        *_repeats_triggers(),
    ]


def _repeats_triggers() -> list[tuple[str, str]]:
    """Triggers that take away what a claim's reports repeat before a write, and add it again after it."""

    def group_of(claim: str) -> str:
        return f"= (SELECT group_id FROM claims WHERE id = {claim})"

    def around(name: str, event: str, tables: tuple[str, ...], groups: list[str], when: str = "") -> list:
        """A BEFORE trigger taking away the repeats of these claims, an AFTER trigger adding them again."""
        suffix = event[0].lower()  # i, d, u: INSERT, DELETE, UPDATE
        take_away = [_repeats(table, group, -1) for table in tables for group in groups]
        add = [_repeats(table, group, 1) for table in tables for group in groups]
        return [
            _trigger(f"{name}_b{suffix}", event, *take_away, when=when, before=True),
            _trigger(f"{name}_a{suffix}", event, *add, when=when),
        ]

    parties, changes = (PARTY_REPEATS_TABLE,), (CHANGE_REPEATS_TABLE,)
    new, old = _REPORTED_AGAIN.format(claim="NEW.claim_id"), _REPORTED_AGAIN.format(claim="OLD.claim_id")
    return [
        *around("attributions_repeats", "INSERT ON attributions", parties, [group_of("NEW.claim_id")], when=new),
        *around("attributions_repeats", "DELETE ON attributions", parties, [group_of("OLD.claim_id")], when=old),
        *around(
            "attributions_repeats",
            "UPDATE OF claim_id, role, actor_id ON attributions",
            parties,
            [group_of("OLD.claim_id"), group_of("NEW.claim_id")],
            when=f"{old} OR {new}",
        ),
        *around("status_changes_repeats", "INSERT ON status_changes", changes, [group_of("NEW.claim_id")], when=new),
        *around("status_changes_repeats", "DELETE ON status_changes", changes, [group_of("OLD.claim_id")], when=old),
        *around(
            "claims_repeats",
            "UPDATE OF group_id ON claims",
            (*parties, *changes),
            ["= OLD.group_id", "= NEW.group_id"],
            when="OLD.group_id IS NOT NEW.group_id",
        ),
        *around("claims_repeats", "DELETE ON claims", (*parties, *changes), ["= OLD.group_id"]),
    ]


def next_ids(db: Database, tables: list[str] = COUNTED_TABLES) -> dict[str, int]:
    """The id the next row of each table will get: pass it to `add_counts()` after a bulk insert."""
    return {table: (db.execute(f"SELECT max(id) FROM [{table}]").fetchone()[0] or 0) + 1 for table in tables}


def _tallies(since: dict[str, int], recent: frozenset[str] = frozenset()) -> list[tuple[str, str, str, list]]:
    """(count table, its key columns, SELECT of keys and count, params) for rows from these ids on.

    The rows of a table in `recent` are few, the last of the table: they are read by id (a key written `+key` is
    not looked up in an index), not along an index of the key, which would read every row of the table.
    """
    claims_from, attributions_from, changes_from = (since.get(table, 0) for table in COUNTED_TABLES)
    by_id = {table: "+" if table in recent else "" for table in COUNTED_TABLES}
    plus = by_id["claims"]
    queries = [
        (
            FACET_TABLE,
            "facet, value",
            f"SELECT '{column}', {plus}{column}, count(*) FROM claims WHERE id >= ? AND {plus}{column} IS NOT NULL "
            f"GROUP BY {plus}{column}",
            [claims_from],
        )
        for column in FACETED_COLUMNS
    ]
    queries.append(
        (
            FACET_TABLE,
            "facet, value",
            # Grouped along the (actor_id, role) index, then each group named: a join per row costs seconds at 1M.
            f"SELECT {_ROLE_FACET.format(row='attributions')}, {by_id['attributions']}actor_id, count(*) "
            f"FROM attributions WHERE id >= ? GROUP BY {by_id['attributions']}actor_id, {by_id['attributions']}role",
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
    queries.append(
        (
            CLAIMS_TABLE,
            "status",
            f"SELECT {plus}status, count(*) FROM claims WHERE id >= ? AND {_IS_LEAD.format(row='claims')} "
            f"GROUP BY {plus}status",
            [claims_from],
        )
    )
    return queries


def add_counts(
    db: Database, since: dict[str, int] | None = None, tables: tuple[str, ...] = (*TALLIED_TABLES, *REPEATS_TABLES)
) -> None:
    """Count the rows of each counted table whose id is at least `since[table]` (all rows by default), and what
    the reports of the claims reported more than once repeat, all over again (it grows with those claims only).

    With `since` (rows added to a database, its `claim_group_counts` current) the claims reported more than once
    are those `claim_group_counts` lists, and a few rows added to a large table are read by id."""
    recent = frozenset()
    if since:
        ends = next_ids(db)
        recent = frozenset(t for t in COUNTED_TABLES if since.get(t, 0) > 1 and (ends[t] - since[t]) * 10 < ends[t])
    for table, keys, select, params in _tallies(since or {}, recent):
        if table in tables:
            _add(db, table, keys, select, params)
    groups = f"IN (SELECT claim_id FROM {GROUPS_TABLE})" if since else _EVERY_GROUP
    for table in REPEATS_TABLES:
        if table in tables:
            db.execute(f"DELETE FROM {table}")
            db.execute(_repeats(table, groups, 1))


def _add(db: Database, table: str, keys: str, select: str, params: list) -> None:
    upsert = f"ON CONFLICT ({keys}) DO UPDATE SET count = count + excluded.count"
    db.execute(f"INSERT INTO {table} ({keys}, count) {select} {upsert}", params)


def recount(db: Database, tables: tuple[str, ...] = COUNT_TABLES) -> None:
    """Count everything again from scratch (`claims check --repair`), in every count table or only those given."""
    for table in tables:
        db.execute(f"DELETE FROM {table}")
    add_counts(db, tables=tuple(table for table in tables if table != GROUPS_TABLE))
    if GROUPS_TABLE in tables:
        db.execute(_recount_groups(_EVERY_GROUP)[1])


def stale(db: Database) -> list[str]:
    """The count tables whose counts differ from the recorded rows (normally none)."""
    counted = (*TALLIED_TABLES, *REPEATS_TABLES)
    stored = {table: set(db.execute(f"SELECT * FROM {table} WHERE count != 0").fetchall()) for table in counted}
    actual: dict[str, set] = {table: set() for table in TALLIED_TABLES}
    for table, _, select, params in _tallies({}):
        actual[table].update(db.execute(select, params).fetchall())
    for table, (_, select) in _REPEATS.items():
        sql = f"SELECT k0, k1, sum(n) FROM ({select.format(group=_EVERY_GROUP)}) GROUP BY k0, k1 HAVING sum(n) != 0"
        actual[table] = set(db.execute(sql).fetchall())
    stored[GROUPS_TABLE] = set(db.execute(f"SELECT {', '.join(GROUP_COLUMNS)} FROM {GROUPS_TABLE}").fetchall())
    actual[GROUPS_TABLE] = set(db.execute(_GROUP_ROW.format(group=_EVERY_GROUP)).fetchall())
    return [table for table in COUNT_TABLES if stored[table] != actual[table]]
