import csv
import io
import json

import pytest
import yaml
from conftest import database_bytes, free_port
from conftest import run_claims as claims

from claims import __version__
from claims.db import open_db


def ok(*args, db=None):
    result = claims(*args, db=db)
    assert result.exit_code == 0, result.output
    return result.stdout


COMMANDS = [
    "init",
    "add",
    "status",
    "stance",
    "list",
    "show",
    "statuses",
    "serve",
    "demo",
    "source add",
    "source list",
    "source keep",
    "actor add",
    "actor list",
    "import",
    "export",
    "check",
    "backup",
    "edit",
    "delete",
    "extract",
]


@pytest.fixture
def filled(db_path):
    """A database with a source, three actors and one claim (id 1)."""
    ok(
        "source",
        "add",
        "--title",
        "Kim comforts families",
        "--outlet",
        "ATS",
        "--published",
        "2025-08-30",
        "--language",
        "fr",
        db=db_path,
    )
    ok("actor", "add", "Seoul", "--kind", "government", "--country", "KR", "--alias", "South Korea", db=db_path)
    ok("actor", "add", "Pyongyang", "--kind", "government", "--country", "KP", db=db_path)
    ok("actor", "add", "ATS", "--kind", "media", db=db_path)
    ok(
        "add",
        "Selon Séoul, environ 600 soldats nord-coréens ont été tués",
        "--source",
        "1",
        "--by",
        "séoul",
        "--via",
        "ATS",
        "--not-confirmed-by",
        "Pyongyang",
        "--figure",
        "killed=~600 soldiers",
        "--said-on",
        "2025-08-30",
        db=db_path,
    )
    return db_path


def test_version():
    assert ok("--version").strip() == f"claims {__version__}"


def test_init_creates_and_is_idempotent(tmp_path):
    path = tmp_path / "new" / "claims.db"
    result = claims("init", db=path)
    assert result.exit_code == 0
    assert "Database ready" in result.stderr
    before = database_bytes(path)
    assert claims("init", db=path).exit_code == 0
    assert database_bytes(path) == before


def test_db_defaults_to_env_var(isolated_db_env):
    ok("init")
    assert isolated_db_env.exists()
    assert ok("source", "add", "--title", "From env").strip() == "1"


def test_source_add_and_list(db_path):
    assert ok("source", "add", "--title", "Story", "--url", "https://example.org/a", db=db_path).strip() == "1"
    assert ok("source", "add", "--title", "Wire", "--outlet", "ATS", db=db_path).strip() == "2"
    rows = json.loads(ok("source", "list", "--format", "json", db=db_path))
    assert [(r["id"], r["title"], r["url"], r["claims"]) for r in rows] == [
        (1, "Story", "https://example.org/a", 0),
        (2, "Wire", None, 0),
    ]
    assert "Story" in ok("source", "list", db=db_path)


def test_actor_add_and_list(db_path):
    assert ok("actor", "add", "Seoul", "--kind", "government", "--alias", "Corée du Sud", db=db_path).strip() == "1"
    rows = json.loads(ok("actor", "list", "-f", "json", db=db_path))
    assert rows[0]["name"] == "Seoul" and rows[0]["aliases"] == ["Corée du Sud"] and rows[0]["kind"] == "government"
    table = list(csv.DictReader(io.StringIO(ok("actor", "list", "-f", "csv", db=db_path))))
    assert table[0]["aliases"] == "Corée du Sud"


def test_add_prints_id_and_show_json_has_the_contract_keys(filled):
    claim = json.loads(ok("show", "1", "--format", "json", db=filled))
    assert {"id", "text", "status", "source", "attributions", "figures", "history"} <= set(claim)
    assert claim["id"] == 1
    assert claim["status"] == "unconfirmed"
    assert claim["source"]["title"] == "Kim comforts families"
    assert [(a["actor"], a["role"]) for a in claim["attributions"]] == [
        ("Seoul", "asserts"),
        ("ATS", "relays"),
        ("Pyongyang", "not-confirmed"),
    ]
    assert claim["figures"][0]["text"] == "about 600 soldiers"
    assert [(h["from"], h["to"]) for h in claim["history"]] == [(None, "unconfirmed")]


def test_add_with_every_role_and_options(filled):
    claim_id = ok(
        "add",
        "Pyongyang denies everything",
        "--source",
        "1",
        "--by",
        "KCNA",
        "--confirmed-by",
        "Seoul",
        "--denied-by",
        "Pyongyang",
        "--disputed-by",
        "ATS",
        "--status",
        "disputed",
        "--reason",
        "Contested",
        "--quote",
        "--lang",
        "en",
        "--translation",
        "Pyongyang nie tout",
        "--notes",
        "Check later",
        "--figure",
        "sent=1500-12000",
        "--figure",
        "wounded=>=1000",
        "--create-actors",
        db=filled,
    ).strip()
    claim = json.loads(ok("show", claim_id, "-f", "json", db=filled))
    assert (claim["status"], claim["is_quote"], claim["language"], claim["notes"]) == (
        "disputed",
        True,
        "en",
        "Check later",
    )
    assert claim["translation"] == "Pyongyang nie tout"
    assert (claim["asserted_by"], claim["confirmed_by"], claim["denied_by"], claim["disputed_by"]) == (
        ["KCNA"],
        ["Seoul"],
        ["Pyongyang"],
        ["ATS"],
    )
    assert [(f["qualifier"], f["low"], f["high"]) for f in claim["figures"]] == [
        ("range", 1500, 12000),
        ("at_least", 1000, None),
    ]
    assert claim["history"][0]["reason"] == "Contested"


def test_add_stores_a_figure_as_it_reads(filled):
    claim_id = ok(
        "add",
        "25 000 manifestants selon les organisateurs",
        "--source",
        "1",
        "--by",
        "Seoul",
        "--figure",
        "protesters=25 000",
        "--figure",
        "displaced=1,2 million",
        db=filled,
    ).strip()
    claim = json.loads(ok("show", claim_id, "-f", "json", db=filled))
    assert [(f["measure"], f["low"], f["high"], f["unit"]) for f in claim["figures"]] == [
        ("protesters", 25000, 25000, None),
        ("displaced", 1200000, 1200000, None),
    ]
    before = database_bytes(filled)
    result = claims("add", "x", "--source", "1", "--figure", "protesters=25 00", db=filled)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: invalid figure 'protesters=25 00': '25 00' is not a number: digits after a thousands separator come "
        "in groups of three with the same separator throughout (25 000, 1,500), and a unit cannot start with a digit\n"
    )
    assert database_bytes(filled) == before


def test_add_by_source_url(db_path):
    ok("source", "add", "--title", "Story", "--url", "https://example.org/a", db=db_path)
    claim_id = ok("add", "A claim", "--source", "https://example.org/a", db=db_path).strip()
    assert json.loads(ok("show", claim_id, "-f", "json", db=db_path))["source"]["id"] == 1


def test_status_and_stance(filled):
    result = claims(
        "status",
        "1",
        "corroborated",
        "--reason",
        "NIS says so too",
        "--evidence",
        "https://example.org/nis",
        "--on",
        "2025-09-01",
        db=filled,
    )
    assert result.exit_code == 0, result.output
    assert "unconfirmed -> corroborated" in result.stderr
    ok("stance", "1", "PYONGYANG", "denies", "--on", "2025-09-02", db=filled)
    ok("stance", "1", "Kyiv", "disputes", "--create-actors", db=filled)
    claim = json.loads(ok("show", "1", "-f", "json", db=filled))
    assert claim["status"] == "corroborated"
    assert claim["history"][-1] == {
        "from": "unconfirmed",
        "to": "corroborated",
        "reason": "NIS says so too",
        "evidence": "https://example.org/nis",
        "on": "2025-09-01",
        "recorded_at": claim["history"][-1]["recorded_at"],
        "recorded_by": "tester",
    }
    assert claim["denied_by"] == ["Pyongyang"]
    assert claim["disputed_by"] == ["Kyiv"]


def test_list_formats_and_filters(filled):
    ok("add", "Another claim about Pyongyang", "--source", "1", "--by", "Pyongyang", db=filled)
    rows = json.loads(ok("list", "--format", "json", db=filled))
    assert isinstance(rows, list) and [r["id"] for r in rows] == [1, 2]
    assert rows[0]["asserted_by"] == ["Seoul"]
    assert [r["id"] for r in json.loads(ok("list", "--by", "SEOUL", "-f", "json", db=filled))] == [1]
    assert [r["id"] for r in json.loads(ok("list", "--search", "seoul", "-f", "json", db=filled))] == [1]
    assert [
        r["id"] for r in json.loads(ok("list", "--status", "unconfirmed", "--source", "1", "-f", "json", db=filled))
    ] == [1, 2]
    assert json.loads(ok("list", "--status", "confirmed", "-f", "json", db=filled)) == []
    table = list(csv.DictReader(io.StringIO(ok("list", "-f", "csv", db=filled))))
    assert table[0]["asserted_by"] == "Seoul" and table[0]["not_confirmed_by"] == "Pyongyang"
    text = ok("list", db=filled)
    assert "Selon Séoul" in text and "unconfirmed" in text
    assert "No claims found." in ok("list", "--status", "false", db=filled)
    assert ok("list", "--status", "false", "-f", "csv", db=filled) == ""
    assert ok("list", "--status", "false", "-f", "json", db=filled).strip() == "[]"


def test_show_text(filled):
    output = ok("show", "1", db=filled)
    for expected in [
        "Claim 1",
        "unconfirmed",
        "Selon Séoul",
        "Kim comforts families",
        "not-confirmed",
        "about 600 soldiers",
        "Status history",
    ]:
        assert expected in output


def test_rich_markup_in_claim_text_is_printed_literally(db_path):
    ok("source", "add", "--title", "[bold]Title[/bold]", db=db_path)
    ok("add", "[red]not red[/red] <script>alert(1)</script>", "--source", "1", db=db_path)
    assert "[red]not red[/red] <script>alert(1)</script>" in ok("show", "1", db=db_path)
    assert "[bold]Title[/bold]" in ok("source", "list", db=db_path)


def test_statuses(db_path):
    rows = json.loads(ok("statuses", "-f", "json", db=db_path))
    assert [r["name"] for r in rows][:3] == ["unconfirmed", "corroborated", "confirmed"]


HELP_ONLY = [[], ["--version"], ["source"], ["actor"], ["--help"], *([*c.split(), "--help"] for c in COMMANDS)]


def test_vocabulary_and_help_need_no_database(tmp_path, monkeypatch, isolated_db_env):
    """In a folder without db/ and with $CLAIMS_DB naming a missing file, nothing that only informs opens a database."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "article.txt").write_text("Selon Séoul, 600 soldats ont été tués, a rapporté l'agence.", "utf-8")
    result = claims("statuses")
    assert result.exit_code == 0, result.output
    assert "unconfirmed" in result.stdout and "retracted" in result.stdout and result.stderr == ""
    assert [r["name"] for r in json.loads(ok("statuses", "-f", "json"))] == [
        "unconfirmed",
        "corroborated",
        "confirmed",
        "disputed",
        "denied",
        "false",
        "retracted",
    ]
    assert json.loads(ok("statuses", "-f", "json", db=tmp_path / "elsewhere.db"))[0]["name"] == "unconfirmed"
    for args in HELP_ONLY:
        result = claims(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "Usage: claims" in result.stdout or "claims " in result.stdout, args
        assert "Error" not in result.stderr, (args, result.stderr)
    assert "candidate claim" in claims("extract", "article.txt").stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt"]  # no db/, no database file
    assert not isolated_db_env.exists() and not isolated_db_env.parent.exists()


@pytest.mark.parametrize(
    "args,error",
    [
        (["add", "", "--source", "1"], "Error: claim text is empty"),
        (
            ["add", "x", "--source", "1", "--status", "bogus"],
            "Error: unknown status 'bogus': expected one of unconfirmed, corroborated, confirmed, disputed, denied, false, retracted",
        ),
        (
            ["add", "x", "--source", "1", "--said-on", "2025-02-30"],
            "Error: invalid date said '2025-02-30': day is out of range for month",
        ),
        (
            ["add", "x", "--source", "1", "--said-on", "30/08/2025"],
            "Error: invalid date said '30/08/2025': use YYYY-MM-DD (or YYYY-MM, or YYYY when that is all that is known)",
        ),
        (
            ["add", "x", "--source", "1", "--figure", "killed=many"],
            "Error: invalid figure 'killed=many': the value must be N, ~N, >N, >=N, <N, <=N or N-M, optionally followed by a unit",
        ),
        (["add", "x", "--source", "9"], "Error: no source '9': give a source id or URL (see 'claims source list')"),
        (
            ["add", "x", "--source", "1", "--by", "Seol"],
            "Error: unknown actor 'Seol' (did you mean Seoul?): add it with 'claims actor add' or pass --create-actors",
        ),
        (
            ["add", "x", "--source", "1", "--lang", "French"],
            "Error: invalid language 'French': use an ISO 639 code such as fr or en",
        ),
        (
            ["add", "Selon Séoul, environ 600 soldats nord-coréens ont été tués", "--source", "1"],
            "Error: this claim is already recorded from source 1 as claim 1",
        ),
        (["add", "x"], "Error: Missing option '--source'. (see 'claims add --help')"),
        (["status", "1", "confirmed"], "Error: Missing option '--reason'. (see 'claims status --help')"),
        (["status", "1", "confirmed", "--reason", ""], "Error: reason is empty"),
        (["status", "1", "bogus", "--reason", "x"], "Error: unknown status 'bogus'"),
        (["status", "42", "confirmed", "--reason", "x"], "Error: no claim with id 42"),
        (["status", "1", "unconfirmed", "--reason", "x"], "Error: claim 1 is already unconfirmed"),
        (
            ["status", "1", "confirmed", "--reason", "x", "--evidence", "javascript:alert(1)"],
            "Error: invalid evidence URL 'javascript:alert(1)': it must start with http:// or https://",
        ),
        (["status", "abc", "confirmed", "--reason", "x"], "Error: Invalid value for 'ID'"),
        (["stance", "42", "Seoul", "confirms"], "Error: no claim with id 42"),
        (
            ["stance", "1", "Seoul", "agrees"],
            "Error: unknown role 'agrees': expected one of asserts, relays, confirms, denies, not-confirmed, disputes",
        ),
        (["stance", "1", "Seoul", "asserts"], "Error: claim 1 already records that 'Seoul' asserts"),
        (["stance", "1", "Tokyo", "confirms"], "Error: unknown actor 'Tokyo'"),
        (["show", "42"], "Error: no claim with id 42"),
        (["list", "--status", "bogus"], "Error: unknown status 'bogus'"),
        (["list", "--by", "Nobody"], "Error: unknown actor 'Nobody'"),
        (["list", "--format", "xml"], "Error: Invalid value for '--format'"),
        (["source", "add", "--title", " "], "Error: source title is empty"),
        (["source", "add", "--title", "x", "--published", "yesterday"], "Error: invalid publication date 'yesterday'"),
        (
            ["source", "add", "--title", "x", "--published", "2999-01-01"],
            "Error: invalid publication date '2999-01-01': it is in the future",
        ),
        (["source", "add", "--title", "x", "--url", "not a url"], "Error: invalid source URL 'not a url'"),
        (["actor", "add", "Someone", "--kind", "spy"], "Error: unknown actor kind 'spy'"),
        (["actor", "add", "Seoul", "--kind", "government"], "Error: 'Seoul' already names actor 'Seoul' (id 1)"),
        (
            ["actor", "add", "Séoul city", "--kind", "government", "--alias", "south korea"],
            "Error: 'south korea' already names actor 'Seoul' (id 1)",
        ),
        (["actor", "add", "X", "--kind", "person", "--country", "Korea"], "Error: invalid country 'Korea'"),
        (
            ["serve", "--host", "0.0.0.0"],
            "Error: refusing to serve on 0.0.0.0, which other machines can reach: pass --public to publish",
        ),
    ],
)
def test_bad_input_is_one_line_error_and_database_unchanged(filled, args, error):
    before = database_bytes(filled)
    result = claims(*args, db=filled)
    assert result.exit_code != 0
    assert result.stdout == ""
    assert result.stderr.startswith(error), result.stderr
    assert result.stderr.count("\n") == 1, "one line"
    assert "Traceback" not in result.output
    assert database_bytes(filled) == before


@pytest.mark.parametrize(
    "setup,error",
    [
        (lambda p: p.mkdir(), "is a directory, not a database file"),
        (lambda p: p.write_text("not sqlite at all"), "is not a SQLite database"),
        (lambda p: None, "no database at"),
    ],
)
def test_bad_database_path_is_one_line_error_and_file_untouched(tmp_path, setup, error):
    path = tmp_path / "target.db"
    setup(path)
    snapshot = path.read_bytes() if path.is_file() else None
    result = claims("list", db=path)
    assert result.exit_code == 1
    assert error in result.stderr and result.stderr.count("\n") == 1
    assert (path.read_bytes() if path.is_file() else None) == snapshot
    assert path.exists() == (snapshot is not None or path.is_dir())


def test_every_command_has_help_with_an_example():
    for command in COMMANDS:
        result = claims(*command.split(), "--help")
        assert result.exit_code == 0, command
        assert "Example:" in result.stdout and "claims " in result.stdout, command
        assert "--db" in result.stdout, command


def test_demo_loads_example_once_then_serves(tmp_path, monkeypatch):
    served = []
    monkeypatch.setattr(
        "claims.web.server.serve", lambda path, host, port, **options: served.append((str(path), host, port))
    )
    path, port = tmp_path / "demo.db", free_port()
    first = claims("demo", "--port", port, db=path)
    assert first.exit_code == 0, first.output
    assert "19 claims added" in first.stderr and "7 links added" in first.stderr
    assert f"http://127.0.0.1:{port}/" in first.stdout
    second = claims("demo", "--port", port, db=path)
    assert "0 claims added" in second.stderr and "(19 claims in all)" in second.stderr
    assert "links added" not in second.stderr
    assert served == [(str(path), "127.0.0.1", port)] * 2
    with open_db(path) as db:
        assert db["claims"].count == 19


def test_serve_refuses_a_taken_port(filled, monkeypatch):
    import socket

    monkeypatch.setattr("claims.web.server.serve", lambda path, host, port, **options: pytest.fail("should not serve"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = claims("serve", "--port", port, db=filled)
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use; pass --port to use another\n"
    )


def test_serve_public_host_needs_flag(filled, monkeypatch):
    served = []
    monkeypatch.setattr("claims.web.server.serve", lambda path, host, port, **options: served.append(host))
    port = free_port()
    assert claims("serve", "--host", "0.0.0.0", "--public", "--port", port, db=filled).exit_code == 0
    assert claims("serve", "--host", "::1", "--port", port, db=filled).exit_code == 0
    assert served == ["0.0.0.0", "::1"]


def test_serve_immutable_is_passed_on(filled, monkeypatch):
    served = []
    monkeypatch.setattr("claims.web.server.serve", lambda path, host, port, **options: served.append(options))
    assert claims("serve", "--immutable", "--port", free_port(), db=filled).exit_code == 0
    assert claims("serve", "--port", free_port(), db=filled).exit_code == 0
    assert [options["immutable"] for options in served] == [True, False]


def test_cli_builds_no_sql():
    """The CLI parses and prints; SQL lives in the library."""
    from pathlib import Path

    modules = sorted((Path(__file__).parent.parent / "claims" / "cli").glob("*.py"))
    assert len(modules) >= 6, modules
    for module in modules:
        source = module.read_text().lower()
        for keyword in ["select ", "insert into", "update ", "delete from", ".execute(", ".query("]:
            assert keyword not in source, (module.name, keyword)


def test_export_and_import_commands(tmp_path):
    source_db, copy_db = tmp_path / "source.db", tmp_path / "copy.db"
    ok("demo", "--help")  # the example loads through `claims demo`; here through import
    ok("init", db=source_db)
    from claims.io.bundle import example_path

    result = claims("import", example_path(), db=source_db)
    assert result.exit_code == 0 and "12 claims added" in result.stderr
    out = tmp_path / "claims.yml"
    result = claims("export", "--format", "yaml", "--output", out, db=source_db)
    assert result.exit_code == 0 and f"Exported 12 claims to {out}" in result.stderr
    assert not (tmp_path / "claims.yml.partial").exists()
    ok("init", db=copy_db)
    assert "12 claims added" in claims("import", out, db=copy_db).stderr
    assert claims("export", db=copy_db).stdout == out.read_text()
    assert "0 claims added, 0 updated, 12 unchanged" in claims("import", out, db=copy_db).stderr


def test_import_from_stdin_needs_a_format(filled):
    line = json.dumps({"text": "From a pipe", "source": {"title": "Pipe"}, "asserted_by": ["Seoul"]})
    result = claims("import", "-", "--format", "jsonl", db=filled, input=line + "\n")
    assert result.exit_code == 0 and "1 claims added" in result.stderr
    result = claims("import", "-", db=filled, input=line)
    assert result.exit_code == 1 and result.stderr == "Error: reading standard input needs --format\n"


def test_import_lists_every_problem_and_changes_nothing(filled, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(
        json.dumps({"text": "a", "source": {"title": "S"}, "status": "maybe"})
        + "\n"
        + "{broken\n"
        + json.dumps({"text": "b", "source": {"title": "S"}, "colour": 1})
        + "\n"
    )
    before = database_bytes(filled)
    result = claims("import", path, db=filled)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "  bad.jsonl:1: status: unknown status 'maybe': expected one of unconfirmed, corroborated, confirmed, disputed, denied, false, retracted",
        "  bad.jsonl:2: invalid JSON (Expecting property name enclosed in double quotes, character 2)",
        "  bad.jsonl:3: colour: unknown field",
        "Error: 3 invalid records in bad.jsonl; nothing was imported (fix them, or pass --skip-invalid)",
    ]
    assert database_bytes(filled) == before


def test_import_skip_invalid_writes_rejects(filled, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps({"text": "good one", "source": {"title": "S"}}) + "\n{broken\n")
    result = claims("import", path, "--skip-invalid", db=filled)
    assert result.exit_code == 0
    assert "1 claims added" in result.stderr and "1 rejected" in result.stderr
    rejects = tmp_path / "mixed.jsonl.rejected.jsonl"
    assert json.loads(rejects.read_text())["where"] == "mixed.jsonl:2"


@pytest.mark.parametrize(
    "args,error",
    [
        (["import", "nowhere.jsonl"], "Error: no such file or folder: nowhere.jsonl"),
        (
            ["import", "notes.txt"],
            "Error: cannot tell the format of notes.txt: pass --format yaml|jsonl|csv|claimreview",
        ),
        (["export", "--format", "pdf"], "Error: Invalid value for '--format'"),
    ],
)
def test_import_export_bad_arguments(filled, tmp_path, monkeypatch, args, error):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("hello")
    result = claims(*args, db=filled)
    assert result.exit_code != 0 and result.stderr.startswith(error)


def test_export_jsonl_and_csv(filled):
    lines = [json.loads(line) for line in ok("export", "--format", "jsonl", db=filled).splitlines()]
    assert {
        "actor": {"name": "Seoul", "kind": "government", "country": "KR", "aliases": ["South Korea"]}
    } in lines  # first, so that a re-import keeps them
    assert next(line for line in lines if "text" in line)["asserted_by"] == ["Seoul"]
    result = claims("export", "-f", "csv", db=filled)
    assert "CSV keeps actor names only" in result.stderr  # says what a CSV round trip loses
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["figures"] == "killed=~600 soldiers" and rows[0]["source_title"] == "Kim comforts families"


def test_check_and_backup_commands(filled, tmp_path):
    result = claims("check", db=filled)
    assert result.exit_code == 0 and "no problem found (1 claims)" in result.stderr
    import sqlite3

    conn = sqlite3.connect(filled)
    conn.execute("update claims set status = 'confirmed'")
    conn.commit()
    conn.close()
    result = claims("check", db=filled)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "claim 1: status is 'confirmed' but its history ends with 'unconfirmed'",
        f"Error: 1 problem in {filled}; 'claims check --repair' rebuilds what is derived",
    ]
    result = claims("check", "--repair", db=filled)
    assert result.exit_code == 0 and "repaired claim 1: status set from 'confirmed' to 'unconfirmed'" in result.stderr
    result = claims("backup", tmp_path / "copy.db", db=filled)
    assert result.exit_code == 0 and "Backed up 1 claims" in result.stderr
    result = claims("backup", tmp_path / "copy.db", db=filled)
    assert result.exit_code == 1 and "already exists" in result.stderr


def test_edit_and_delete_commands(filled):
    result = claims(
        "edit",
        "1",
        "--notes",
        "Checked",
        "--no-quote",
        "--quote",
        "--reason",
        "Added context",
        "--by-user",
        "zoe",
        db=filled,
    )
    assert result.exit_code == 0 and "Claim 1: notes, is_quote revised" in result.stderr
    claim = json.loads(ok("show", "1", "-f", "json", db=filled))
    assert claim["notes"] == "Checked" and claim["is_quote"] is True
    assert [(r["field"], r["recorded_by"]) for r in claim["revisions"]] == [("notes", "zoe"), ("is_quote", "zoe")]
    assert (
        claims("edit", "1", "--reason", "nothing", db=filled).stderr
        == "Error: nothing to change: give at least one field to edit\n"
    )
    assert claims("edit", "1", "--figure", "x=1", "--clear-figures", "--reason", "r", db=filled).stderr.startswith(
        "Error: --figure and --clear-figures"
    )
    result = claims("delete", "1", "--reason", "Withdrawn", db=filled)
    assert result.exit_code == 0 and "retracted" in result.stderr
    assert json.loads(ok("show", "1", "-f", "json", db=filled))["status"] == "retracted"
    before = database_bytes(filled)
    result = claims("delete", "1", "--purge", "--reason", "mistake", db=filled, input="n\n")
    assert result.exit_code == 1 and "Error: not purged" in result.stderr
    assert database_bytes(filled) == before
    result = claims("delete", "1", "--purge", "--yes", "--reason", "mistake", db=filled)
    assert result.exit_code == 0
    assert claims("show", "1", db=filled).stderr == "Error: no claim with id 1\n"


def test_read_only_database_is_read_but_never_written(filled):
    filled.chmod(0o444)
    try:
        before = filled.read_bytes()
        assert json.loads(ok("list", "-f", "json", db=filled))[0]["id"] == 1
        result = claims("add", "New claim", "--source", "1", db=filled)
        assert result.exit_code == 1
        assert result.stderr == f"Error: {filled} is read-only: nothing was written\n"
        assert filled.read_bytes() == before
    finally:
        filled.chmod(0o644)


def test_extract_drafts_claims_that_import(tmp_path, example_db_path):
    from pathlib import Path

    article = Path(__file__).parent / "data" / "seed-article.txt"
    draft = tmp_path / "draft.yml"
    # --no-match: suggested links name claims of the database drafted from, not of the fresh one imported into
    result = claims("extract", article, "--output", draft, "--no-match", db=example_db_path)
    assert result.exit_code == 0 and "candidate claims drafted" in result.stderr
    text = draft.read_text()
    assert text.startswith("# DRAFT:") and "asserted_by:\n  - Seoul" in text  # a known actor, by its canonical name
    assert "links:" not in text
    fresh = tmp_path / "fresh.db"
    ok("init", db=fresh)
    result = claims("import", draft, db=fresh)  # the draft names actors of the database it was drafted for
    assert result.exit_code == 1 and "unknown actor 'KCNA'" in result.stderr and "--create-actors" in result.stderr
    result = claims("import", draft, "--create-actors", db=fresh)
    assert result.exit_code == 0, result.stderr
    assert "new actor: KCNA" in result.stderr
    imported = json.loads(ok("list", "--by", "Séoul", "-f", "json", db=fresh))
    assert any("environ 600 soldats" in claim["text"] for claim in imported)


def test_extract_reuses_the_databases_measure_names(tmp_path, example_db_path):
    article = tmp_path / "article.txt"
    article.write_text(
        "Ferry\n\nATS\n\n2025-09-01\n\nSelon Séoul, les secours ont retrouvé 12 corps et 40 "
        "bateaux ont été mobilisés.\n",
        encoding="utf-8",
    )
    draft = tmp_path / "draft.yml"
    result = claims("extract", article, "--output", draft, db=example_db_path)
    assert result.exit_code == 0, result.stderr
    (claim,) = yaml.safe_load(draft.read_text())["claims"]
    assert claim["asserted_by"] == ["Seoul"]
    assert "killed=12 corps" in claim["figures"]  # "corps" (bodies) counts the dead: the database's `killed`
    assert "New measure name proposed: 'bateaux'" in claim["notes"]


def test_extract_bad_input(tmp_path):
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"caf\xe9 au lait")
    assert claims("extract", binary).stderr == f"Error: {binary} is not valid UTF-8 (byte 4)\n"
    assert claims("extract", tmp_path / "missing.txt").stderr.startswith("Error: cannot read")
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = claims("extract", empty)
    assert result.exit_code == 0 and "0 candidate claims drafted" in result.stderr


def test_list_limits_tables_but_not_exports(db_path):
    ok("source", "add", "--title", "Many", db=db_path)
    lines = "".join(json.dumps({"text": f"Claim {n}", "source": {"title": "Many"}}) + "\n" for n in range(105))
    claims("import", "-", "--format", "jsonl", db=db_path, input=lines)
    result = claims("list", db=db_path)
    assert "Showing the first 100 claims; --limit 0 shows all of them." in result.stderr
    assert "Claim 99" in result.stdout and "Claim 100" not in result.stdout
    assert len(json.loads(ok("list", "-f", "json", db=db_path))) == 105
    assert len(json.loads(ok("list", "-f", "json", "--limit", "3", db=db_path))) == 3
    assert "Showing" not in claims("list", "--limit", "0", db=db_path).stderr


# Saved pages and sources kept as evidence

PAGE_PAIRS = ["afp-inondations", "reuters-drone-strikes"]


@pytest.mark.parametrize("name", PAGE_PAIRS)
def test_extract_gives_a_saved_page_the_drafts_of_its_text(tmp_path, name):
    import yaml
    from conftest import ARTICLES, PAGES

    drafts = {}
    for path in (PAGES / f"{name}.html", ARTICLES / f"{name}.txt"):
        result = claims("extract", path, "-o", tmp_path / f"{path.suffix[1:]}.yml")
        assert result.exit_code == 0, result.output
        drafts[path.suffix] = yaml.safe_load((tmp_path / f"{path.suffix[1:]}.yml").read_text())
    page, text = drafts[".html"], drafts[".txt"]
    assert page["claims"] and page["claims"] == text["claims"]
    assert page["actors"] == text["actors"]
    url = page["sources"][0].pop("url")
    assert url.startswith("https://www.") and page["sources"] == text["sources"]


def test_extract_refuses_a_broken_page_in_one_line(tmp_path):
    from conftest import PAGES

    for name, error in [("truncated.html", "the page is cut short"), ("latin1-undeclared.html", "is not valid UTF-8")]:
        result = claims("extract", PAGES / name, "--record", db=tmp_path / "none.db")
        assert result.exit_code == 1 and result.stderr.startswith(f"Error: {PAGES / name}")
        assert error in result.stderr and result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert not (tmp_path / "none.db").exists()


def test_extract_record_keeps_the_source_text_and_imported_claims_their_spans(db_path, tmp_path):
    from conftest import PAGES

    page = PAGES / "afp-inondations.html"
    draft = tmp_path / "draft.yml"
    result = claims("extract", page, "--record", "-o", draft, db=db_path)
    assert result.exit_code == 0, result.output
    assert "Source 1: text kept (1,418 characters, with its page)" in result.stderr
    sources = json.loads(ok("source", "list", "-f", "json", db=db_path))
    assert [(s["title"], s["outlet"], s["published"], s["text_characters"]) for s in sources] == [
        ("Inondations au Valdor: au moins 32 morts, selon un nouveau bilan", "AFP", "2025-03-12", 1418)
    ]
    again = claims("extract", page, "--record", "-o", draft, db=db_path)
    assert "Source 1: text already kept" in again.stderr
    result = claims("import", draft, "--create-actors", db=db_path)
    assert result.exit_code == 0, result.output
    shown = json.loads(ok("show", "3", "-f", "json", db=db_path))
    assert shown["text"].startswith("«Nous n'avons jamais vu")
    assert shown["source"]["text"]["with_page"] and shown["source"]["text"]["characters"] == 1418
    with open_db(db_path) as db:
        body = db["source_texts"].get(1)["body"]
    assert body[shown["span_start"] : shown["span_end"]] == shown["text"]
    said = " ".join(ok("show", "3", db=db_path).split())
    assert f"this claim is characters {shown['span_start']}-{shown['span_end']} of it" in said
    drafted = len(yaml.safe_load(draft.read_text(encoding="utf-8"))["claims"])
    assert f"no problem found ({drafted} claims)" in claims("check", db=db_path).stderr


def test_source_add_reads_a_saved_page_and_keeps_its_text(db_path):
    from conftest import PAGES

    archived = "https://web.archive.org/web/20250903/https://www.reuters.example/world/europe/drone-strikes"
    page = PAGES / "reuters-drone-strikes.html"
    added = ok("source", "add", "--file", page, "--archive-url", archived, "--outlet", "Reuters Wire", db=db_path)
    assert added == "1\n"
    [source] = json.loads(ok("source", "list", "-f", "json", db=db_path))
    assert source["title"] == "Drone strikes kill at least 14 in Marenian port city, governor says"
    assert source["outlet"] == "Reuters Wire", "an option given is the source's, not the page's"
    assert (source["published"], source["language"], source["archive_url"]) == ("2025-09-03", "en", archived)
    assert source["url"].startswith("https://www.reuters.example/") and source["text_characters"] > 1500
    result = claims("source", "add", "--file", page, db=db_path)
    assert result.exit_code == 1 and "already recorded as source 1" in result.stderr
    before = database_bytes(db_path)
    for args, error in [
        (["--file", PAGES / "no-metadata.html"], "a source needs a title: give --title"),
        (["--title", "X", "--archive-url", "javascript:alert(1)"], "invalid archive URL 'javascript:alert(1)'"),
        (["--file", PAGES / "truncated.html", "--title", "X"], "the page is cut short"),
    ]:
        result = claims("source", "add", *args, db=db_path)
        assert result.exit_code == 1 and error in result.stderr and result.stderr.count("Error") == 1, result.output
    assert database_bytes(db_path) == before
    result = claims("source", "add", "--file", PAGES / "no-metadata.html", "--title", "Storm", db=db_path)
    assert result.exit_code == 0 and "note: " in result.stderr and "the page gives no" in result.stderr


def test_source_keep_replaces_a_text_only_with_a_reason(db_path):
    from conftest import ARTICLES, PAGES

    ok("source", "add", "--title", "Inondations au Valdor", "--outlet", "AFP", db=db_path)
    result = claims("source", "keep", "1", "--file", ARTICLES / "afp-inondations.txt", db=db_path)
    assert result.exit_code == 0 and "Source 1: text kept" in result.stderr
    before = database_bytes(db_path)
    result = claims("source", "keep", "1", "--file", PAGES / "afp-inondations.html", db=db_path)
    assert result.exit_code == 1 and "already keeps a different text" in result.stderr and "--reason" in result.stderr
    assert database_bytes(db_path) == before
    result = claims(
        "source",
        "keep",
        "1",
        "--file",
        PAGES / "afp-inondations.html",
        "--reason",
        "The page, not the wire",
        "--archive-url",
        "https://perma.cc/AB12-CD34",
        db=db_path,
    )
    assert result.exit_code == 0, result.output
    assert "text replaced (the old one is in source_changes), archived copy recorded" in result.stderr
    with open_db(db_path) as db:
        changes = list(db["source_changes"].rows_where(order_by="id"))
    assert [(c["field"], c["reason"], c["recorded_by"]) for c in changes] == [
        ("text", "Text stored.", "tester"),
        ("text", "The page, not the wire", "tester"),
        ("archive_url", "The page, not the wire", "tester"),
    ]
    assert json.loads(changes[1]["old_value"])["body"] == (ARTICLES / "afp-inondations.txt").read_text()
    result = claims("source", "keep", "1", db=db_path)
    assert result.exit_code == 1 and "nothing to keep" in result.stderr
    result = claims("source", "keep", "7", "--archive-url", "https://perma.cc/X", db=db_path)
    assert result.exit_code == 1 and "no source '7'" in result.stderr
