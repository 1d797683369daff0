"""Schema migrations, applied in order and recorded in `_sqlite_migrations`.

Each step is frozen: it runs the SQL in `sql/<step>.sql`, written when the step was, and then
its function's body, if any. A step never changes (databases in the wild have run it); a schema
change is a new step at the end of this file, with its own SQL file. The code that checks and
repairs a database uses the schema as the latest step leaves it (`claims.schema`, `claims.counts`).
This package imports nothing from the rest of claims.
"""

import sqlite3
import unicodedata
from collections.abc import Callable
from importlib import resources

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("claims")
STEPS: list[str] = []


def step(function: Callable[[Database], None]):
    """Register a frozen schema step: its SQL file, then its function (applied in the order of this file)."""

    def apply(db: Database) -> None:
        for statement in frozen_statements(function.__name__):
            db.execute(statement)
        function(db)

    apply.__name__, apply.__doc__ = function.__name__, function.__doc__
    STEPS.append(function.__name__)
    return migrations()(apply)


def frozen_statements(name: str) -> list[str]:
    """The SQL statements of step `name`, in order, from its frozen file."""
    text = resources.files(__package__).joinpath("sql", f"{name}.sql").read_text(encoding="utf-8")
    statements, pending = [], ""
    for line in text.splitlines(keepends=True):
        if not pending and (not line.strip() or line.startswith("--")):
            continue
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip().removesuffix(";"))
            pending = ""
    if pending.strip():
        raise ValueError(f"sql/{name}.sql ends inside a statement")
    return statements


@step
def m001_initial(db: Database):
    """Sources, actors, claims, attributions, status history and figures; the vocabularies' lookup tables."""


@step
def m002_views_for_browsing(db: Database):
    """Views behind the dashboard and canned queries: estimates, contested and unconfirmed claims."""


@step
def m003_revisions_purges_and_recorders(db: Database):
    """Who recorded each change; revisions of edited claims; a log of purged claims; history deletable only once
    purged."""


@step
def m004_counts_for_browsing_at_scale(db: Database):
    """Counts kept by triggers (`claims.counts`), indexes for the latest estimates and contested claims: fast at 1M
    claims."""


@step
def m005_claim_dates_for_sorting(db: Database):
    """`claims.dated`, stored and indexed (undated last), and an index of status changes: lists of claims by date
    or by last change read an index instead of sorting a million claims."""


# The identity of a claim's text within its source, as m006 defined it (`values.identity_key` is today's rule;
# `claims check --repair` re-keys the claims when it changes).
_IDENTITY_MARKS_M006 = str.maketrans({**dict.fromkeys('"«»“”„‟‹›', ""), **dict.fromkeys("’‘‛`´", "'")})


def _identity_key_m006(text: str) -> str:
    normal = unicodedata.normalize("NFKC", text).casefold().translate(_IDENTITY_MARKS_M006)
    return " ".join(normal.split()).rstrip(" .!?;:,…")


@step
def m006_claim_identity_keys_and_actor_changes(db: Database):
    """`claims.text_key`: a claim's text normalised for identity (case, spacing, quotes, final punctuation), indexed
    with its source in place of the exact text; `actor_changes`: an append-only log of renamed, merged and deleted
    actors."""
    db.conn.executemany(
        "UPDATE claims SET text_key = ? WHERE id = ?",
        [(_identity_key_m006(text), claim_id) for claim_id, text in db.execute("SELECT id, text FROM claims")],
    )


@step
def m007_status_changes_per_month_counts_changes_only(db: Database):
    """The dashboard's status changes per month count changes of status, not the status each claim was recorded
    with (one per claim: 19 "changes" shown where one status had changed)."""


@step
def m008_claim_links_and_groups(db: Database):
    """`claim_links`: an append-only log of links between reports of claims (same, updates, contradicts) and of
    their removal; `claims.group_id`: the first report of the claim a report belongs to (itself when alone)."""


@step
def m009_claims_counted_once(db: Database):
    """A claim reported several times counts once: `claims_per_status` counts claims (first reports) per status;
    `claim_group_counts` keeps the status, reports, outlets and dates of each claim reported more than once, which
    `claim_groups` now lists (m008's view grouped every report on every page: 0.4 s at 100,000 claims);
    `repeated_parties` and `repeated_status_changes` what their reports repeat, for the dashboard (`claims.counts`)."""


@step
def m010_source_texts_and_claim_spans(db: Database):
    """Sources kept as evidence: `source_texts` holds a source's full text (`body`, its SHA-256, when it was stored)
    and the page it was read from (zlib-compressed HTML); `source_changes`, an append-only log of every text stored
    or replaced and every archive URL set, with who, when, why and the value replaced; `sources.archive_url`, an
    archived copy (archive.org, perma.cc); `claims.span_start`/`span_end`, where a claim's text is in its source's."""


@step
def m011_imported_files(db: Database):
    """Incremental imports of a claims repository: `imported_files` holds each YAML file of a folder last imported
    (its path in the folder, SHA-256, size, when), with what it recorded (claim and source ids, the source keys it
    declares, the actors it declares), JSON, so that the next import reads only the files that changed and can tell
    what a changed or deleted file no longer holds."""


@step
def m012_imported_record_digests(db: Database):
    """`imported_files.record_digests`: {digest: claim id} of each claim record a file held when last imported, so
    that a changed file's unchanged records are not written again (a build after a one-line change of a file of
    1,000 claims re-imported all 1,000)."""


def known_migration_names() -> list[str]:
    """Names of every migration step this version of claims knows, in order."""
    return list(STEPS)
