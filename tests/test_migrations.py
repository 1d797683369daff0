"""The migration steps are frozen, and the schema they build is the one `claims check --repair` restores."""

import hashlib
from importlib import resources

import pytest
from sqlite_utils import Database

from claims import schema
from claims.migrations import frozen_statements, known_migration_names, migrations

# Each step's SQL as it was released. Databases in the wild ran these: a step's SQL never changes; a schema change
# is a new step, with a new file (and a new line here).
RELEASED = {
    "m001_initial": "224c143f0ef18ee7de34e0225f9de35c2a74f3b064330c666d5c66a329cf7ba2",
    "m002_views_for_browsing": "913ef59eef97738e61ebcc9e4b5d165a3e138f73f364a9a43a32b9031b1d686b",
    "m003_revisions_purges_and_recorders": "c79b943c1020205e63662f162d3a07a2e1f98c1586b6ff5a370b4c5b504059de",
    "m004_counts_for_browsing_at_scale": "c80a056ea37e3b157a652bc1743eb5f947f77290c64e3e37c61635cf914502a8",
    "m005_claim_dates_for_sorting": "046eccd12318bf97486a99088d388630ee0b35f3c5fb8ef1ab1893a4350b746e",
    "m006_claim_identity_keys_and_actor_changes": "db1cd3000967635cec4287590a79b788b6fd51f21f3dd5acdd1c3a3ace60eb45",
    "m007_status_changes_per_month_counts_changes_only": (
        "f756d7a5a278589e04b2392ea24debe5b4efc8ad6b15d1e5f3e7d387e23bd9a6"
    ),
    "m008_claim_links_and_groups": "77a987ac84fc29184f2f05637895f38edafb09eb26a3eabe3382a303f785c08c",
    "m009_claims_counted_once": "2cc8f1e1183779fe114cd1e3568dcb97d5a66a1dc19017d2266b0ad69d54943a",
    "m010_source_texts_and_claim_spans": "8de23e05255b85982f2b6d88b8cdbbffe263ae5ceeb981e8bd28fd617b80dfc0",
    "m011_imported_files": "81841501f27ae53c89f863f2664ae86679ea63eb48fb94404b7769bd48d3004e",
    "m012_imported_record_digests": "6231ac6a61df05469da29a01280ce6d95c0cb93874880be661be3827998e71b7",
}


def sql_file(name):
    return resources.files("claims.migrations").joinpath("sql", f"{name}.sql")


@pytest.mark.parametrize("name", known_migration_names())
def test_a_released_step_runs_the_sql_it_was_released_with(name):
    assert name in RELEASED, f"{name}: a new step: add its file's SHA-256 to RELEASED once it is released"
    digest = hashlib.sha256(sql_file(name).read_bytes()).hexdigest()
    assert digest == RELEASED[name], f"{name}.sql changed: released steps are frozen, write a new step instead"


def test_every_sql_file_is_a_step_and_every_step_has_its_file():
    files = {path.name.removesuffix(".sql") for path in resources.files("claims.migrations").joinpath("sql").iterdir()}
    assert files == set(known_migration_names())


@pytest.mark.parametrize("name", known_migration_names())
def test_a_steps_file_holds_whole_statements(name):
    statements = frozen_statements(name)
    assert statements and all(statement.strip() and not statement.startswith("--") for statement in statements)


def test_the_triggers_repair_restores_are_those_the_steps_create(db):
    created = {row[0]: row[1] for row in db.execute("select name, sql from sqlite_master where type = 'trigger'")}
    expected = schema.expected_triggers()
    assert set(created) == set(expected) | set(schema.FTS_TRIGGERS)
    for name, sql in expected.items():
        assert created[name] == sql, f"{name}: claims.schema and the migrations disagree; a change needs a new step"


def test_an_upgrade_step_by_step_builds_the_schema_a_new_database_gets(db):
    older = Database(memory=True)
    for name in known_migration_names():  # one step at a time, as databases of each release were upgraded
        migrations.apply(older, stop_before=[later for later in known_migration_names() if later > name])
    assert _schema(older) == _schema(db)


def test_the_identity_keys_m006_gives_existing_claims(tmp_path):
    older = Database(tmp_path / "old.db")
    migrations.apply(older, stop_before="m006_claim_identity_keys_and_actor_changes")
    older["sources"].insert({"id": 1, "title": "T", "created_at": "2025-01-01T00:00:00Z"})
    older["claims"].insert(
        {"id": 1, "text": "« Nous  reconstruirons tout. »", "source_id": 1, "created_at": "x", "updated_at": "x"}
    )
    migrations.apply(older)
    assert older.execute("select text_key from claims").fetchone()[0] == "nous reconstruirons tout"


def _schema(db):
    return sorted(db.execute("select type, name, tbl_name, sql from sqlite_master where name != '_sqlite_migrations'"))
