"""Large imports take shortcuts (indexing deferred, a second process checking records) and end where small ones do."""

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claims.db import open_db
from claims.io import importer, imports, writers
from claims.io.bulk import in_background
from claims.io.imports import import_path
from claims.maintenance import check
from claims.records import InvalidRecords

TIMESTAMPS = {"created_at", "updated_at", "status_changed_at", "recorded_at", "applied_at"}


def claims_file(path, count, start=0, **extra):
    """`count` JSON Lines claims over 20 sources and 7 actors; every third has a status change."""
    with path.open("w", encoding="utf-8") as f:
        for n in range(start, start + count):
            record = {
                "text": f"Claim {n}: Séoul says {n} soldiers",
                "said_on": "2025-08-30",
                "source": {"title": f"Source {n % 20}", "url": f"https://example.org/{n % 20}", "language": "fr"},
                "asserted_by": [f"Actor {n % 7}"],
                "relayed_by": ["AFP"],
                "figures": [f"killed=~{n}"],
            }
            if n % 3 == 0:
                record["changes"] = [{"status": "confirmed", "reason": "Checked", "date": "2025-09-01"}]
            f.write(json.dumps(record | extra, ensure_ascii=False) + "\n")
    return path


def schema(db) -> set:
    return set(db.execute("select type, name, sql from sqlite_master").fetchall())


def content(db) -> dict:
    """Every table's rows but the timestamps, which differ from one run to the next."""
    tables = [t for t in db.table_names() if not t.startswith("claims_fts")]
    return {
        table: db.execute(
            f"select {', '.join(f'[{c}]' for c in db[table].columns_dict if c not in TIMESTAMPS)} from [{table}]"
        ).fetchall()
        for table in tables
    }


def statements(db) -> list[str]:
    """The SQL statements `db` runs from now on."""
    seen = []
    db.conn.set_trace_callback(seen.append)
    return seen


def matches(db, query: str) -> int:
    return db.execute("select count(*) from claims_fts where claims_fts match ?", [query]).fetchone()[0]


def test_a_large_import_rebuilds_indexes_and_triggers_and_indexes_every_claim(db, tmp_path):
    before = schema(db)
    run = statements(db)
    summary = import_path(db, claims_file(tmp_path / "big.jsonl", 300), create_actors=True)
    assert summary.added == 300
    assert any(s.lower().startswith("drop index") for s in run) and any(
        s.lower().startswith("drop trigger") for s in run
    )
    assert schema(db) == before
    assert check(db) == []  # full-text index, counts, derived columns all in step
    assert matches(db, "seoul") == 300 and matches(db, "soldiers") == 300


def creations(run: list[str], index: str) -> int:
    return sum(1 for s in run if s.upper().startswith("CREATE") and f'"{index}"' in s)


def test_a_large_import_sorts_with_helper_threads_and_leaves_the_setting_as_it_was(db, tmp_path):
    run = statements(db)
    import_path(db, claims_file(tmp_path / "big.jsonl", 300), create_actors=True)
    assert f"PRAGMA threads = {importer.SORT_THREADS}" in run
    assert db.execute("pragma threads").fetchone()[0] == 0


def test_a_large_import_of_new_claims_builds_the_identity_index_once_at_the_end(db, tmp_path):
    run = statements(db)
    import_path(db, claims_file(tmp_path / "big.jsonl", 300), create_actors=True)
    assert creations(run, importer.IDENTITY_INDEX) == 1
    assert run.index(next(s for s in run if f'"{importer.IDENTITY_INDEX}"' in s and s.startswith("CREATE"))) > max(
        i for i, s in enumerate(run) if s.lower().startswith("insert into [claims]")
    )


def test_a_large_import_brings_the_identity_index_back_when_it_must_look_a_claim_up(db, tmp_path):
    path = claims_file(tmp_path / "big.jsonl", 300)
    with path.open("a", encoding="utf-8") as f:
        f.write(path.read_text(encoding="utf-8").splitlines()[0] + "\n")  # the first claim again, 300 lines later
    run = statements(db)
    summary = import_path(db, path, create_actors=True)
    assert (summary.added, summary.unchanged) == (300, 1)
    assert creations(run, importer.IDENTITY_INDEX) == 1
    assert ["source_id", "text_key"] in [index.columns for index in db["claims"].indexes]


def foreign_keys(db) -> int:
    return db.execute("pragma foreign_keys").fetchone()[0]


def test_a_large_import_checks_references_itself_and_turns_foreign_keys_back_on(db, tmp_path):
    run = statements(db)
    import_path(db, claims_file(tmp_path / "big.jsonl", 300), create_actors=True)
    assert "PRAGMA foreign_keys = OFF" in run
    assert foreign_keys(db) == 1
    assert db.execute("pragma foreign_key_check").fetchall() == []
    with pytest.raises(InvalidRecords):
        import_path(db, claims_file(tmp_path / "bad.jsonl", 400, start=1000, status="rumoured"), create_actors=True)
    assert foreign_keys(db) == 1


def test_a_large_import_keeps_foreign_key_checks_if_a_lookup_table_lacks_a_value(db, tmp_path):
    db.execute("pragma foreign_keys = off")
    db.execute("delete from qualifiers where name = 'about'")  # by hand: claims never removes one
    db.execute("pragma foreign_keys = on")
    run = statements(db)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        import_path(db, claims_file(tmp_path / "big.jsonl", 300), create_actors=True)
    assert "PRAGMA foreign_keys = OFF" not in run
    assert db["claims"].count == 0


def test_the_key_filter_never_forgets_a_key_and_rarely_imagines_one():
    keys = importer._KeyFilter(expected=100_000)
    imagined = sum(keys.add((n % 1000, f"Claim {n}")) for n in range(100_000))  # each new: "maybe" is wrong
    assert imagined <= 2
    assert all(keys.add((n % 1000, f"Claim {n}")) for n in range(100_000))
    assert len(importer._KeyFilter(expected=50_000_000).bits) == importer._KeyFilter.MAX_BITS // 8  # memory stays flat


def test_a_small_import_into_a_larger_database_keeps_its_indexes(db, tmp_path):
    import_path(db, claims_file(tmp_path / "big.jsonl", 300), create_actors=True)
    before = schema(db)
    run = statements(db)
    assert import_path(db, claims_file(tmp_path / "small.jsonl", 10, start=300), create_actors=True).added == 10
    assert not any(s.lower().startswith("drop index") for s in run)
    assert schema(db) == before
    assert check(db) == []
    assert matches(db, "seoul") == 310


def test_a_failed_large_import_leaves_the_database_as_it_was(db, tmp_path):
    import_path(db, claims_file(tmp_path / "first.jsonl", 50), create_actors=True)
    before_schema, before_content = schema(db), content(db)
    path = claims_file(tmp_path / "big.jsonl", 300, start=50)
    with path.open("a") as f:
        f.write(json.dumps({"text": "No source"}) + "\n")
    with pytest.raises(InvalidRecords) as e:
        import_path(db, path, create_actors=True)
    assert [str(p) for p in e.value.problems] == [
        "big.jsonl:301: source: a source (title, url, outlet, published, language) is required"
    ]
    assert schema(db) == before_schema
    assert content(db) == before_content
    assert check(db) == []


def test_a_claim_added_then_changed_in_the_same_file_is_indexed_and_counted_once(db, tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH_SIZE", 4)
    path = claims_file(tmp_path / "claims.jsonl", 20)
    edited = json.loads(path.read_text(encoding="utf-8").splitlines()[2])
    edited["translation"] = "Selon Séoul, des soldats"
    edited["changes"] = [{"status": "disputed", "reason": "Pyongyang objects", "date": "2025-09-03"}]
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(edited, ensure_ascii=False) + "\n")
        f.write(json.dumps(json.loads(path.read_text(encoding="utf-8").splitlines()[5])) + "\n")  # unchanged
    summary = import_path(db, path, create_actors=True)
    assert (summary.added, summary.updated, summary.unchanged) == (20, 1, 1)
    assert db.execute("select count(*) from claims").fetchone()[0] == 20
    assert check(db) == []
    assert matches(db, "selon") == 1


def test_importing_a_large_file_twice_adds_nothing(db, tmp_path):
    path = claims_file(tmp_path / "big.jsonl", 300)
    import_path(db, path, create_actors=True)
    before = content(db)
    summary = import_path(db, path, create_actors=True)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 300)
    assert content(db) == before
    assert check(db) == []


def imported(path, tmp_path, name, **options):
    """What importing `path` into a fresh database (after the first 30 claims) reports, leaves, and rejects."""
    target = tmp_path / f"{name}.db"
    rejects = io.StringIO()
    with open_db(target, create=True) as db:
        import_path(db, claims_file(tmp_path / "first.jsonl", 30), create_actors=True)
        summary = import_path(db, path, rejects=rejects, skip_invalid=True, create_actors=True, **options)
        assert check(db) == []
        return summary.describe(), [str(p) for p in summary.problems], rejects.getvalue(), content(db)


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_second_process_checking_records_changes_nothing_but_speed(tmp_path, monkeypatch, suffix):
    path = claims_file(tmp_path / "claims.jsonl", 200)
    lines = path.read_text(encoding="utf-8").splitlines()
    rewritten = json.loads(lines[3]) | {"changes": [{"status": "false", "reason": "Rewritten", "date": "2025-09-01"}]}
    lines[3:3] = [
        '{"broken',
        json.dumps({"text": "x", "source": {"title": "S"}, "status": "maybe"}),
        json.dumps(rewritten),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if suffix == ".csv":
        with open_db(tmp_path / "export.db", create=True) as db:
            import_path(db, claims_file(tmp_path / "export.jsonl", 200), create_actors=True)
            with (tmp_path / "claims.csv").open("w", encoding="utf-8") as out:
                writers.write_csv(writers.iter_claims(db), out)
        path = tmp_path / "claims.csv"
    alone = imported(path, tmp_path, "alone")
    monkeypatch.setattr(imports, "BACKGROUND_BYTES", 0)
    assert imported(path, tmp_path, "helped") == alone
    if suffix == ".jsonl":
        assert [json.loads(line)["where"] for line in alone[2].splitlines()] == [
            "claims.jsonl:4",
            "claims.jsonl:5",
            "claims.jsonl:6",
        ]
        assert (
            json.loads(alone[2].splitlines()[2])["record"] == rewritten
        )  # a history conflict, found by the writing process


def numbers(count):
    yield from range(count)


def failing(count):
    yield from range(count)
    raise ValueError("cannot go on")


def test_in_background_keeps_order_and_raises_errors_here():
    assert list(in_background(numbers, 2_000)) == list(range(2_000))
    with pytest.raises(ValueError, match="cannot go on"):
        list(in_background(failing, 10))
    stopped = in_background(numbers, 1_000_000)
    assert next(stopped) == 0
    stopped.close()  # the second process is stopped, not left running


def children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def test_killing_the_import_ends_its_second_process(db_path, tmp_path):
    path = claims_file(tmp_path / "big.jsonl", 20_000)
    assert path.stat().st_size > imports.BACKGROUND_BYTES
    importing = subprocess.Popen(
        [sys.executable, "-m", "claims", "import", str(path), "--db", str(db_path), "--create-actors"],
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while not (workers := children(importing.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers, "no second process started"
    os.kill(importing.pid, signal.SIGKILL)
    importing.wait()
    deadline = time.monotonic() + 20
    while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    with open_db(db_path) as db:
        assert db["claims"].count == 0 and check(db) == []
