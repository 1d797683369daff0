import sqlite3
import subprocess
import sys

import pytest

from claims import model
from claims.db import open_db
from claims.errors import ClaimsError
from claims.maintenance import backup, check, repair


@pytest.fixture
def example(tmp_path, example_db_path):
    path = tmp_path / "claims.db"
    path.write_bytes(example_db_path.read_bytes())
    return path


def damage(path, script):
    conn = sqlite3.connect(path)
    conn.executescript(script)
    conn.close()


def test_a_healthy_database_has_no_problem(example):
    with open_db(example) as db:
        assert check(db) == []
        assert repair(db) == []


@pytest.mark.parametrize(
    "script,problem,fix",
    [
        ("update claims set asserted_by = '[\"Nobody\"]' where id = 4",
         "claim 4: asserted_by says ['Nobody'] but its attributions say ['Seoul']", "claim 4: asserted_by set to ['Seoul']"),
        ("update claims set status = 'false' where id = 4",
         "claim 4: status is 'false' but its history ends with 'unconfirmed'", "claim 4: status set from 'false' to 'unconfirmed', the end of its history"),
        ("drop trigger claims_au; update claims set text = 'rewritten behind our back' where id = 3",
         "trigger claims_au is missing", "full-text index and its triggers recreated"),
        ("drop trigger status_changes_no_delete", "trigger status_changes_no_delete is missing", "trigger status_changes_no_delete recreated"),
        ("drop trigger claims_dated_au; update claims set dated = '1999-01-01' where id = 4",
         "claim 4: dated says '1999-01-01' but its date said and its source's say '2025-08-30'", "claim 4: dated set from '1999-01-01' to '2025-08-30'"),
        ("drop trigger claims_dated_ai", "trigger claims_dated_ai is missing", "trigger claims_dated_ai recreated"),
        ("insert into claims_fts(claims_fts) values ('delete-all')", "full-text index: out of sync with the claims table", "full-text index rebuilt"),
        ("pragma foreign_keys = off; insert into attributions (claim_id, actor_id, role, created_at) values (999, 1, 'asserts', 'x')",
         "foreign key: attributions row 43 points to a missing claims row", None),
    ],
)  # fmt: skip
def test_check_names_each_problem_and_repair_fixes_what_is_derived(example, script, problem, fix):
    damage(example, script)
    with open_db(example) as db:
        assert problem in check(db)
        if fix is None:
            return
        assert fix in repair(db)
        assert check(db) == []
        if "claims_au" in script:
            assert [c["id"] for c in model.list_claims(db, search="rewritten")] == [3]
            db["claims"].update(3, {"text": "again"})
            assert [c["id"] for c in model.list_claims(db, search="again")] == [3]
            assert "UPDATE OF" in db.execute("select sql from sqlite_master where name = 'claims_au'").fetchone()[0]


def test_repair_restores_append_only_history(example):
    damage(example, "drop trigger status_changes_no_update")
    with open_db(example) as db:
        repair(db)
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            db.execute("update status_changes set reason = 'edited'")


def test_backup_is_a_consistent_copy(example, tmp_path):
    target = tmp_path / "copy.db"
    with open_db(example) as db:
        assert backup(db, target) == 19
        with pytest.raises(ClaimsError, match="already exists"):
            backup(db, target)
    with open_db(target) as copy:
        assert copy["claims"].count == 19 and check(copy) == []


def test_backup_while_another_process_writes(example, tmp_path):
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import sys\nfrom claims.db import open_db\nfrom claims import model\n"
         "for n in range(300):\n"
         "    with open_db(sys.argv[1]) as db:\n"
         "        model.add_claim(db, f'Written during backup {n}', source=1, parties=[('Seoul', 'asserts')])\n",
         str(example)],
    )  # fmt: skip
    copies = []
    while writer.poll() is None and len(copies) < 20:
        target = tmp_path / f"backup-{len(copies)}.db"
        with open_db(example) as db:
            backup(db, target)
        copies.append(target)
    assert writer.wait() == 0
    assert copies
    for target in copies:
        with open_db(target) as copy:
            assert check(copy) == []
            count = copy["claims"].count
            assert 19 <= count <= 319
            texts = {row["text"] for row in copy.query("select text from claims where text like 'Written during%'")}
            assert texts == {f"Written during backup {n}" for n in range(count - 19)}
