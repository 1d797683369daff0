"""Several processes writing the same database at once, while Datasette serves it; and kill -9 mid-import."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest
from conftest import free_port, start_in_background

from claims import model
from claims.db import open_db
from claims.maintenance import check

WRITERS, CLAIMS_EACH = 8, 200
WRITER = r"""
import sys
from typer.testing import CliRunner
from claims.cli import app
path, writer, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
runner = CliRunner()
def run(*args):
    result = runner.invoke(app, [*args, "--db", path])
    if result.exit_code != 0:
        sys.exit(f"writer {writer}: {' '.join(args[:2])}: {result.output}")
    return result.stdout.strip()
for n in range(count):
    claim_id = run("add", f"Writer {writer} claim {n}: Séoul dit environ {n} soldats", "--source", "1",
                   "--by", "Seoul", "--via", f"Desk {writer}", "--figure", f"killed=~{n}", "--create-actors")
    if n % 10 == 0:
        run("status", claim_id, "corroborated", "--reason", f"checked by writer {writer}")
        run("stance", claim_id, "Pyongyang", "denies", "--create-actors")
"""


@pytest.fixture
def served_db(tmp_path):
    path = tmp_path / "shared.db"
    with open_db(path, create=True) as db:
        model.add_source(db, "Shared story")
        model.add_actor(db, "Seoul", kind="government")
    port = free_port()
    server = start_in_background(path, port)
    base = f"http://127.0.0.1:{port}"
    yield path, base
    server.terminate()
    server.wait(timeout=10)


def test_concurrent_writers_lose_nothing_while_datasette_reads(served_db):
    path, base = served_db
    reader_errors, reads, done = [], [0], threading.Event()

    def read_continuously():
        while not done.is_set():
            for url in ("/claims/claims.json?_size=5&_facet=status", "/claims.json?sql=select+count(*)+from+claims"):
                try:
                    with urllib.request.urlopen(base + url, timeout=10) as response:
                        json.load(response)
                        reads[0] += 1
                except Exception as e:
                    reader_errors.append(f"{url}: {e}")

    reader = threading.Thread(target=read_continuously)
    reader.start()
    bulk = path.parent / "bulk.jsonl"
    bulk.write_text(
        "".join(
            json.dumps({"text": f"Imported claim {n}", "source": {"title": "Shared story"}, "asserted_by": ["Seoul"]})
            + "\n"
            for n in range(CLAIMS_EACH)
        )
    )
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), str(n), str(CLAIMS_EACH)], stderr=subprocess.PIPE, text=True
        )
        for n in range(WRITERS)
    ]
    writers.append(
        subprocess.Popen(
            [sys.executable, "-m", "claims", "import", str(bulk), "--db", str(path), "--create-actors"],
            stderr=subprocess.PIPE,
            text=True,
        )
    )
    failures = [w.stderr.read() for w in writers if w.wait(timeout=600) != 0]
    done.set()
    reader.join()
    assert failures == []
    assert reader_errors == [] and reads[0] > 0
    with open_db(path) as db:
        assert db["claims"].count == WRITERS * CLAIMS_EACH + CLAIMS_EACH
        imported = {row["text"] for row in db.query("select text from claims where text like 'Imported claim %'")}
        assert imported == {f"Imported claim {n}" for n in range(CLAIMS_EACH)}
        for n in range(WRITERS):
            texts = {
                row["text"].split(":")[0]
                for row in db.query("select text from claims where text like ?", [f"Writer {n} %"])
            }
            assert texts == {f"Writer {n} claim {i}" for i in range(CLAIMS_EACH)}
        assert db["status_changes"].count == WRITERS * CLAIMS_EACH + WRITERS * CLAIMS_EACH // 10 + CLAIMS_EACH
        assert db["figures"].count == WRITERS * CLAIMS_EACH
        assert check(db) == []  # integrity, full-text index, actor columns in sync with attributions


def generate(path, count):
    with path.open("w") as f:
        for n in range(count):
            record = {
                "text": f"Bulk claim {n}",
                "source": {"title": f"Source {n % 100}"},
                "asserted_by": [f"Actor {n % 40}"],
                "figures": [f"killed=~{n}"],
                "changes": [{"status": "disputed", "reason": "second source"}],
            }
            f.write(json.dumps(record) + "\n")


@pytest.mark.parametrize("wal_bytes", [1 << 20, 8 << 20, 32 << 20])
def test_kill_9_mid_import_leaves_the_database_as_it_was(tmp_path, example_db_path, wal_bytes):
    path = tmp_path / "victim.db"
    path.write_bytes(example_db_path.read_bytes())
    with open_db(path) as db:
        before = {t: db[t].count for t in ("claims", "sources", "actors", "attributions", "status_changes", "figures")}
    data = tmp_path / "big.jsonl"
    generate(data, 150_000)
    process = subprocess.Popen(
        [sys.executable, "-m", "claims", "import", str(data), "--db", str(path), "--create-actors"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = tmp_path / "victim.db-wal"
    deadline = time.monotonic() + 120
    while not (wal.exists() and wal.stat().st_size >= wal_bytes):
        assert process.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with open_db(path) as db:
        assert {t: db[t].count for t in before} == before
        assert check(db) == []  # integrity, triggers (the import suspends one), full-text index, derived columns
