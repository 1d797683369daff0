import sqlite3

import pytest
from sqlite_utils import Database

from claims.db import open_db
from claims.errors import DatabaseProblem
from claims.maintenance import check
from claims.migrations import known_migration_names, migrations
from claims.schema import DATED_TRIGGERS
from claims.writing import INITIAL_STATUS_REASON


def test_init_creates_every_table_and_records_migrations(db):
    assert set(db.table_names()) >= {
        "sources",
        "actors",
        "actor_aliases",
        "claims",
        "attributions",
        "statuses",
        "status_changes",
        "figures",
        "roles",
        "actor_kinds",
        "qualifiers",
        "claims_fts",
        "_sqlite_migrations",
    }
    applied = [m.name for m in migrations.applied(db)]
    assert applied == [
        "m001_initial",
        "m002_views_for_browsing",
        "m003_revisions_purges_and_recorders",
        "m004_counts_for_browsing_at_scale",
        "m005_claim_dates_for_sorting",
        "m006_claim_identity_keys_and_actor_changes",
        "m007_status_changes_per_month_counts_changes_only",
        "m008_claim_links_and_groups",
        "m009_claims_counted_once",
        "m010_source_texts_and_claim_spans",
        "m011_imported_files",
        "m012_imported_record_digests",
    ]
    assert set(db.view_names()) == {
        "estimates",
        "contested_claims",
        "unconfirmed_claims",
        "current_links",
        "claim_groups",
    }
    assert applied == known_migration_names()
    assert applied == sorted(applied), "steps run in the order of their numbers"


def test_schema_of_claims_table(db):
    columns = db["claims"].columns_dict
    assert list(columns) == [
        "id",
        "text",
        "translation",
        "language",
        "is_quote",
        "source_id",
        "said_on",
        "status",
        "notes",
        "asserted_by",
        "relayed_by",
        "confirmed_by",
        "denied_by",
        "not_confirmed_by",
        "disputed_by",
        "created_at",
        "updated_at",
        "status_changed_at",
        "created_by",
        "dated",
        "text_key",
        "group_id",
        "span_start",
        "span_end",
    ]
    foreign_keys = {(fk.column, fk.other_table) for fk in db["claims"].foreign_keys}
    assert foreign_keys == {("source_id", "sources"), ("status", "statuses")}


def test_statuses_lookup(db):
    names = [row["name"] for row in db.query("select name from statuses order by rank")]
    assert names == ["unconfirmed", "corroborated", "confirmed", "disputed", "denied", "false", "retracted"]
    assert all(row["meaning"] for row in db["statuses"].rows)


def test_open_db_is_idempotent(db_path):
    before = db_path.read_bytes()
    open_db(db_path, create=True).close()
    open_db(db_path).close()
    assert db_path.read_bytes() == before


def test_database_uses_wal_and_foreign_keys(db):
    assert db.journal_mode == "wal"
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1


def test_missing_database_is_an_error_unless_created(tmp_path):
    with pytest.raises(DatabaseProblem, match=r"no database at .*run 'claims init' first"):
        open_db(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


def test_directory_is_refused(tmp_path):
    with pytest.raises(DatabaseProblem, match="is a directory"):
        open_db(tmp_path)


def test_non_sqlite_file_is_refused_and_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database")
    with pytest.raises(DatabaseProblem, match="is not a SQLite database"):
        open_db(path, create=True)
    assert path.read_text() == "these are my notes, not a database"


def test_foreign_sqlite_database_is_not_silently_converted(tmp_path):
    path = tmp_path / "other.db"
    Database(path)["things"].insert({"a": 1})
    before = path.read_bytes()
    with pytest.raises(DatabaseProblem, match="is not a claims database: run 'claims init"):
        open_db(path)
    assert path.read_bytes() == before


def test_older_database_is_upgraded_keeping_its_data(tmp_path):
    """A database at the first schema step, written as that version wrote it, upgrades in place."""
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m002_views_for_browsing")
    old["sources"].insert({"id": 1, "title": "Kept", "created_at": "2025-01-01T00:00:00Z"})
    old["claims"].insert({"id": 1, "text": "Still here", "source_id": 1, "created_at": "x", "updated_at": "x"})
    old["status_changes"].insert({"claim_id": 1, "to_status": "unconfirmed", "reason": "r", "recorded_at": "x"})
    old.close()
    with open_db(path) as db:
        assert not migrations.pending(db)
        assert [row["text"] for row in db["claims"].rows] == ["Still here"]
        assert db["claims"].get(1)["created_by"] is None
        assert "estimates" in db.view_names() and "revisions" in db.table_names()
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("delete from status_changes")


def test_upgrading_to_stored_dates_dates_every_claim_and_keeps_the_full_text_index_and_its_triggers(tmp_path):
    path = tmp_path / "m004.db"
    old = Database(path)
    migrations.apply(old, stop_before="m005_claim_dates_for_sorting")
    old["sources"].insert_all(
        [
            {"id": 1, "title": "Dated", "published": "2025-08-30", "created_at": "x"},
            {"id": 2, "title": "Undated", "created_at": "x"},
        ]
    )
    for id, source, said_on in [(1, 1, None), (2, 1, "2025-08-28"), (3, 2, None)]:
        old["claims"].insert(
            {
                "id": id,
                "text": f"Claim {id}",
                "source_id": source,
                "said_on": said_on,
                "created_at": "x",
                "updated_at": "x",
            }
        )
    old.close()
    with open_db(path) as db:
        assert [(row["id"], row["dated"]) for row in db["claims"].rows] == [
            (1, "2025-08-30"),
            (2, "2025-08-28"),
            (3, None),
        ]
        assert db.execute("select count(*) from claims_fts where claims_fts match 'claim'").fetchone()[0] == 3
        assert {"claims_au", *DATED_TRIGGERS} <= {t.name for t in db.triggers}
        assert not [p for p in check(db) if "full-text" in p or "dated" in p]  # (no status history: made by hand)


def dated(db, claim_id):
    return db["claims"].get(claim_id)["dated"]


def test_a_claims_date_is_when_it_was_said_else_when_its_source_was_published(db):
    from claims import model

    published = model.add_source(db, "Wire", published="2025-08-30")
    unpublished = model.add_source(db, "Notes")
    said = model.add_claim(db, "Said earlier", source=published, said_on="2025-08-28")
    unsaid = model.add_claim(db, "No date said", source=published)
    undated = model.add_claim(db, "No date at all", source=unpublished)
    assert (dated(db, said), dated(db, unsaid), dated(db, undated)) == ("2025-08-28", "2025-08-30", None)
    db.execute("update claims set said_on = null where id = ?", [said])
    db.execute("update sources set published = '2025-09-02' where id = ?", [published])
    db.execute("update claims set source_id = ? where id = ?", [unpublished, unsaid])
    assert (dated(db, said), dated(db, unsaid)) == ("2025-09-02", None)
    db.execute("update claims set dated = '1900-01-01' where id = ?", [said])  # by hand: put right at once
    db.execute(
        "insert into claims (text, source_id, said_on, created_at, updated_at) values ('Raw', ?, '2025-07-01', 'x', 'x')",
        [unpublished],
    )
    assert dated(db, said) == "2025-09-02"
    assert db.execute("select dated from claims where text = 'Raw'").fetchone()[0] == "2025-07-01"
    # the full-text index holds the raw claim once: dating it as it was inserted did not re-index it
    raw = db.execute("select max(id) from claims").fetchone()[0]
    assert check(db) == [
        f"claim {raw}: no status history",
        f"claim {raw}: text_key is not the identity key of its text",
    ]


def test_only_a_change_of_text_or_translation_reindexes_a_claim(db, source_id):
    from claims import model

    claim = model.add_claim(db, "Seoul says 600 soldiers were killed", source=source_id)
    index = lambda: db.execute("select * from claims_fts_data").fetchall()
    before = index()
    db.execute("update claims set notes = 'checked', said_on = '2025-08-29' where id = ?", [claim])
    assert index() == before
    db.execute("update claims set translation = 'Selon Séoul' where id = ?", [claim])
    assert index() != before
    assert db.execute("select count(*) from claims_fts where claims_fts match 'selon'").fetchone()[0] == 1


def test_newer_schema_is_refused(db_path):
    raw = Database(db_path)
    raw["_sqlite_migrations"].insert(
        {"migration_set": "claims", "name": "m999_from_the_future", "applied_at": "2030-01-01"}
    )
    raw.close()
    with pytest.raises(DatabaseProblem, match=r"newer version of claims .*m999_from_the_future"):
        open_db(db_path)


@pytest.mark.parametrize("statement", ["update status_changes set reason = 'edited'", "delete from status_changes"])
def test_status_history_is_append_only_in_the_database(db, source_id, statement):
    from claims import model

    model.add_claim(db, "A claim", source=source_id)
    with pytest.raises(sqlite3.IntegrityError, match="status_changes is append-only"):
        db.execute(statement)
    assert [row["reason"] for row in db["status_changes"].rows] == [INITIAL_STATUS_REASON]


def test_foreign_keys_reject_unknown_status_in_raw_sql(db, source_id):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "insert into claims (text, source_id, status, created_at, updated_at) values ('x', ?, 'bogus', 'now', 'now')",
            [source_id],
        )


def test_blank_database_migrates_to_the_expected_schema(db):
    """The whole schema, as a literal: a change here needs a new migration step."""
    tables = {
        name: list(db[name].columns_dict)
        for name in db.table_names()
        if not name.startswith("claims_fts") and name != "_sqlite_migrations"
    }
    assert tables == {
        "statuses": ["name", "meaning", "rank"],
        "roles": ["name", "claims_column", "meaning", "rank"],
        "actor_kinds": ["name", "meaning"],
        "qualifiers": ["name", "meaning"],
        "sources": ["id", "title", "url", "outlet", "published", "language", "created_at", "archive_url"],
        "actors": ["id", "name", "kind", "country", "created_at"],
        "actor_aliases": ["id", "actor_id", "alias", "match_key"],
        "claims": [
            "id",
            "text",
            "translation",
            "language",
            "is_quote",
            "source_id",
            "said_on",
            "status",
            "notes",
            "asserted_by",
            "relayed_by",
            "confirmed_by",
            "denied_by",
            "not_confirmed_by",
            "disputed_by",
            "created_at",
            "updated_at",
            "status_changed_at",
            "created_by",
            "dated",
            "text_key",
            "group_id",
            "span_start",
            "span_end",
        ],
        "attributions": ["id", "claim_id", "actor_id", "role", "source_id", "stated_on", "created_at", "recorded_by"],
        "status_changes": [
            "id",
            "claim_id",
            "from_status",
            "to_status",
            "reason",
            "evidence_url",
            "changed_on",
            "recorded_at",
            "recorded_by",
        ],
        "figures": ["id", "claim_id", "measure", "qualifier", "low", "high", "unit"],
        "revisions": ["id", "claim_id", "field", "old_value", "new_value", "reason", "recorded_by", "recorded_at"],
        "purges": ["id", "claim_id", "claim", "reason", "recorded_by", "recorded_at"],
        "actor_changes": ["id", "actor_id", "action", "old_value", "new_value", "reason", "recorded_by", "recorded_at"],
        "facet_counts": ["facet", "value", "count"],
        "status_changes_per_month": ["month", "status", "count"],
        "link_relations": ["name", "meaning", "rank"],
        "claim_links": ["id", "claim_id", "other_id", "relation", "action", "reason", "recorded_by", "recorded_at"],
        "claims_per_status": ["status", "count"],
        "claim_group_counts": [
            "claim_id",
            "status",
            "reports",
            "outlets_count",
            "first_appearance",
            "latest_appearance",
            "outlets",
            "languages",
        ],
        "repeated_parties": ["facet", "value", "count"],
        "repeated_status_changes": ["month", "status", "count"],
        "source_texts": ["source_id", "body", "body_sha256", "html_zlib", "stored_at", "change_id"],
        "source_changes": [
            "id",
            "source_id",
            "field",
            "old_value",
            "new_value",
            "old_html_zlib",
            "reason",
            "recorded_by",
            "recorded_at",
        ],
        "imported_files": [
            "path",
            "sha256",
            "size",
            "imported_at",
            "claim_ids",
            "source_ids",
            "source_keys",
            "actor_ids",
            "record_digests",
        ],
    }
    unique = {(table.name, tuple(index.columns)) for table in db.tables for index in table.indexes if index.unique}
    assert {
        ("sources", ("url",)),
        ("actors", ("name",)),
        ("actor_aliases", ("match_key",)),
        ("attributions", ("claim_id", "actor_id", "role")),
    } <= unique
    assert {t.name for t in db.triggers} >= {
        f"{table}_no_{action}"
        for table in ("status_changes", "revisions", "purges", "actor_changes", "source_changes")
        for action in ("update", "delete")
    } | {"source_texts_no_silent_update", "source_texts_no_delete"}
    assert ["source_id", "text_key"] in [index.columns for index in db["claims"].indexes]  # how a claim is found
