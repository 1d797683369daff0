"""The schema as the latest migration step leaves it, for the code that checks and repairs it.

The migration steps (`claims.migrations`) are frozen: each runs the SQL it ran when it was written.
What `claims check --repair` restores, and what a bulk import drops and rebuilds, is defined here,
as of the latest step; `tests/test_migrations.py` checks that the two agree.
"""

from sqlite_utils import Database

from . import counts

APPEND_ONLY_TABLES = ["status_changes", "revisions", "purges", "actor_changes", "claim_links", "source_changes"]
# Tables whose rows belong to no claim: they can never be deleted, even by a purge.
_NEVER_DELETED = ("purges", "actor_changes", "source_changes")
FTS_COLUMNS = ["text", "translation"]
FTS_TOKENIZE = "porter unicode61 remove_diacritics 2"
FTS_TRIGGERS = ["claims_ai", "claims_ad", "claims_au"]


def append_only_triggers(table: str) -> dict[str, str]:
    """Name and SQL of the triggers that refuse UPDATE and DELETE on `table`.

    A claim's rows may only be deleted once its purge is logged in `purges`
    (`claims delete --purge`); the purge log itself can never be changed.
    """
    message = f"'{table} is append-only: rows cannot be changed or deleted'"
    if table in _NEVER_DELETED:
        purge_logged = ""
    elif table == "claim_links":  # a link belongs to two claims: either one's purge deletes it
        purge_logged = " WHEN NOT EXISTS (SELECT 1 FROM purges WHERE purges.claim_id IN (OLD.claim_id, OLD.other_id))"
    else:
        purge_logged = " WHEN NOT EXISTS (SELECT 1 FROM purges WHERE purges.claim_id = OLD.claim_id)"
    return {
        f"{table}_no_update": f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, {message}); END",
        f"{table}_no_delete": f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}{purge_logged} "
        f"BEGIN SELECT RAISE(ABORT, {message}); END",
    }


# claims.dated: when the claim was said, else when its source was published (CLAIM_DATE of a claims row).
# Triggers keep it so, whatever writes.
CLAIM_DATE = "coalesce({claim}.said_on, (SELECT published FROM sources WHERE sources.id = {claim}.source_id))"
_DATE_OF_NEW = CLAIM_DATE.format(claim="new")
DATED_TRIGGERS = {
    "claims_dated_ai": f"""CREATE TRIGGER claims_dated_ai AFTER INSERT ON claims WHEN new.dated IS NOT {_DATE_OF_NEW}
        BEGIN UPDATE claims SET dated = {_DATE_OF_NEW} WHERE id = new.id; END""",
    "claims_dated_au": f"""CREATE TRIGGER claims_dated_au AFTER UPDATE OF said_on, source_id, dated ON claims
        WHEN new.dated IS NOT {_DATE_OF_NEW}
        BEGIN UPDATE claims SET dated = {_DATE_OF_NEW} WHERE id = new.id; END""",
    "sources_dated_au": """CREATE TRIGGER sources_dated_au AFTER UPDATE OF published ON sources
        BEGIN UPDATE claims SET dated = new.published WHERE source_id = new.id AND said_on IS NULL; END""",
}

# A source's stored text (source_texts) is replaced only with the change logged first in source_changes (who, when,
# why, and the text it replaces), which its `change_id` then names, and never deleted: `claims check` reports a
# missing trigger, `--repair` restores it.
SOURCE_TEXT_TRIGGERS = {
    "source_texts_no_silent_update": """CREATE TRIGGER source_texts_no_silent_update BEFORE UPDATE ON source_texts
        WHEN NOT EXISTS (SELECT 1 FROM source_changes WHERE source_changes.id = NEW.change_id
                         AND source_changes.id > OLD.change_id AND source_changes.source_id = OLD.source_id
                         AND source_changes.field = 'text'
                         AND json_extract(source_changes.new_value, '$.body_sha256') = NEW.body_sha256)
        BEGIN
            SELECT RAISE(ABORT, 'a stored source text is replaced only with its change logged in source_changes');
        END""",
    "source_texts_no_delete": """CREATE TRIGGER source_texts_no_delete BEFORE DELETE ON source_texts
        BEGIN SELECT RAISE(ABORT, 'a stored source text cannot be deleted'); END""",
}


# A claim written without a group (by another tool) is a group of its own (claims.group_id, `claims.links`).
GROUP_TRIGGERS = {
    "claims_group_ai": "CREATE TRIGGER claims_group_ai AFTER INSERT ON claims WHEN new.group_id IS NULL "
    "BEGIN UPDATE claims SET group_id = new.id WHERE id = new.id; END",
}


def index_only_changed_text(db: Database) -> None:
    """Make the full-text index's update trigger (sqlite-utils' `claims_au`) fire only when indexed text changes.

    Updating other columns then costs no re-indexing; and it must not fire when `claims_dated_ai` dates a
    claim that may not be indexed yet (FTS5 reports a deleted row it never held as a malformed database).
    """
    columns = ", ".join(f'"{column}"' for column in FTS_COLUMNS)
    old = ", ".join(f'old."{column}"' for column in FTS_COLUMNS)
    new = ", ".join(f'new."{column}"' for column in FTS_COLUMNS)
    db.execute("DROP TRIGGER IF EXISTS claims_au")
    db.execute(
        f"""CREATE TRIGGER "claims_au" AFTER UPDATE OF {columns} ON "claims" BEGIN
  INSERT INTO "claims_fts" ("claims_fts", rowid, {columns}) VALUES('delete', old.rowid, {old});
  INSERT INTO "claims_fts" (rowid, {columns}) VALUES (new.rowid, {new});
END"""
    )


def expected_triggers() -> dict[str, str]:
    """Name and SQL of every trigger but the full-text index's (append-only history, counts, dates, texts, groups)."""
    triggers = {name: sql for table in APPEND_ONLY_TABLES for name, sql in append_only_triggers(table).items()}
    return triggers | counts.triggers() | DATED_TRIGGERS | SOURCE_TEXT_TRIGGERS | GROUP_TRIGGERS
