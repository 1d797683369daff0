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
        (
            "update claims set asserted_by = '[\"Nobody\"]' where id = 4",
            "claim 4: asserted_by says ['Nobody'] but its attributions say ['Seoul']",
            "claim 4: asserted_by set to ['Seoul']",
        ),
        (
            "update claims set status = 'false' where id = 4",
            "claim 4: status is 'false' but its history ends with 'unconfirmed'",
            "claim 4: status set from 'false' to 'unconfirmed', the end of its history",
        ),
        (
            "drop trigger claims_au; update claims set text = 'rewritten behind our back' where id = 3",
            "trigger claims_au is missing",
            "full-text index and its triggers recreated",
        ),
        (
            "drop trigger status_changes_no_delete",
            "trigger status_changes_no_delete is missing",
            "trigger status_changes_no_delete recreated",
        ),
        (
            "drop trigger claims_dated_au; update claims set dated = '1999-01-01' where id = 4",
            "claim 4: dated says '1999-01-01' but its date said and its source's say '2025-08-30'",
            "claim 4: dated set from '1999-01-01' to '2025-08-30'",
        ),
        ("drop trigger claims_dated_ai", "trigger claims_dated_ai is missing", "trigger claims_dated_ai recreated"),
        (
            "insert into claims_fts(claims_fts) values ('delete-all')",
            "full-text index: out of sync with the claims table",
            "full-text index rebuilt",
        ),
        (
            "pragma foreign_keys = off; insert into attributions (claim_id, actor_id, role, created_at) values (999, 1, 'asserts', 'x')",
            "foreign key: attributions row 43 points to a missing claims row",
            None,
        ),
    ],
)
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
        [
            sys.executable,
            "-c",
            "import sys\nfrom claims.db import open_db\nfrom claims import model\n"
            "for n in range(300):\n"
            "    with open_db(sys.argv[1]) as db:\n"
            "        model.add_claim(db, f'Written during backup {n}', source=1, parties=[('Seoul', 'asserts')])\n",
            str(example),
        ],
    )
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


# Sources kept as evidence


def test_check_reports_spans_that_no_longer_match_and_repair_finds_them_again(db, kept):
    from conftest import KEPT_BODY

    toll, monument, elsewhere = kept["toll"], kept["monument"], kept["elsewhere"]
    start, end = db.execute("select span_start, span_end from claims where id = ?", [monument]).fetchone()
    # Behind claims' back: spans moved, one claim's text rewritten, another given a span its text is not at.
    db.execute("update claims set span_start = span_start + 3 where id = ?", [toll])
    db.execute("update claims set span_start = null, span_end = null where id = ?", [monument])
    db.execute("update claims set span_start = 0, span_end = 10 where id = ?", [elsewhere])
    source = kept["source"]
    assert check(db) == [
        f"claim {monument}: its text is in source {source}'s stored text but it records no span",
        f"claim {toll}: its span ({KEPT_BODY.index('Selon') + 3}-{KEPT_BODY.index(', ce que')}) no longer matches "
        f"source {source}'s stored text",
        f"claim {elsewhere}: its span (0-10) no longer matches source {source}'s stored text",
    ]
    fixed = repair(db)
    assert f"claim {monument}: span set to {start}-{end}, where its text is in source {source}'s" in fixed
    assert f"claim {elsewhere}: span 0-10 cleared: its text is not in source {source}'s stored text" in fixed
    assert check(db) == []
    assert db.execute("select span_start, span_end from claims where id = ?", [monument]).fetchone() == (start, end)


def test_check_reports_a_text_changed_since_it_was_stored_and_repair_leaves_it(db, kept):
    from claims.evidence import sha256

    db.execute("drop trigger source_texts_no_silent_update")
    db.execute("update source_texts set body = replace(body, '600', '6000')")
    problems = check(db)
    recorded = db["source_texts"].get(kept["source"])["body_sha256"]
    assert "trigger source_texts_no_silent_update is missing" in problems
    assert (
        f"source {kept['source']}: its stored text no longer matches its SHA-256 (recorded {recorded[:12]}..., now "
        f"{sha256(db['source_texts'].get(kept['source'])['body'])[:12]}...): it was changed outside claims, which "
        "--repair does not undo"
    ) in problems
    fixed = repair(db)
    assert "trigger source_texts_no_silent_update recreated" in fixed
    assert [p for p in check(db) if "SHA-256" in p], "the evidence of the change stays"
    assert db["source_texts"].get(kept["source"])["body_sha256"] == recorded
    with pytest.raises(sqlite3.IntegrityError, match="replaced only with its change logged"):
        db.execute("update source_texts set body = 'again'")
