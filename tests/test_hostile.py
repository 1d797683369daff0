"""Arbitrary and hostile text at every command and import path: stored exactly, or refused in one line.

Each property runs `EXAMPLES` generated inputs (Hypothesis) mixed with a fixed list of payloads.
"""

import json
from pathlib import Path

import pytest
from conftest import database_bytes
from conftest import run_claims as claims
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims.db import open_db
from claims.io.imports import import_path
from claims.records import InvalidRecords

EXAMPLES = 150
PAYLOADS = [
    "\x00nul\x00inside",
    "\u202eRTL override\u202c and \u200f marks",
    "e\u0301\u0301\u0301 combining \u0336s\u0336t\u0336r\u0336u\u0336c\u0336k",
    "emoji 🇰🇷🇰🇵 👩🏽‍⚖️ ﷽",
    "'; DROP TABLE claims; --",
    '" OR 1=1 --',
    "<script>alert(1)</script><img src=x onerror=alert(2)>",
    "javascript:alert(document.cookie)",
    "[bold red]rich markup[/bold red] [link=https://evil]x[/link]",
    "{{ 7*7 }} {% raw %}jinja{% endraw %}",
    "line one\nline two\r\nline three\ttab",
    "x" * 100_000,
    " \t\n ",
]
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def payload_examples(test):
    for payload in PAYLOADS:
        test = example(payload)(test)
    return test


def stored_exactly_or_refused(result, path, before, read_back, value):
    """The value reads back as given (stripped), or the command failed in one line and changed nothing."""
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert read_back() == value.strip()
        return True
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, result.stderr
    assert database_bytes(path) == before
    return False


@pytest.fixture
def hostile_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "claims.db"
    assert claims("init", db=path).exit_code == 0
    assert claims("source", "add", "--title", "Source", db=path).exit_code == 0
    assert claims("actor", "add", "Seoul", "--kind", "government", db=path).exit_code == 0
    return path


def _with_db(args, path):
    """Insert --db before a `--` separator (after it every word is positional)."""
    if "--" in args:
        at = args.index("--")
        return [*args[:at], "--db", str(path), *args[at:]]
    return [*args, "--db", str(path)]


def show(path, claim_id):
    return json.loads(claims("show", claim_id, "-f", "json", db=path).stdout)


@FAST
@given(text=TEXT)
@payload_examples
def test_add_claim_text(hostile_db, text):
    before = database_bytes(hostile_db)
    result = claims("add", "--source", "1", "--by", "Seoul", "--db", hostile_db, "--", text)
    stored_exactly_or_refused(result, hostile_db, before, lambda: show(hostile_db, result.stdout.strip())["text"], text)


@FAST
@given(text=TEXT)
@payload_examples
def test_translation_and_notes(hostile_db, text):
    before = database_bytes(hostile_db)
    claim_text = f"claim with notes {len(database_bytes(hostile_db)[hostile_db.name])}-{hash(text)}"
    result = claims("add", claim_text, "--source", "1", "--translation", text, "--notes", text, db=hostile_db)
    if result.exit_code == 0:
        claim = show(hostile_db, result.stdout.strip())
        assert claim["translation"] == (text.strip() or None) and claim["notes"] == (text.strip() or None)
    else:
        stored_exactly_or_refused(result, hostile_db, before, None, text)


@FAST
@given(name=TEXT)
@payload_examples
def test_actor_names(hostile_db, name):
    before = database_bytes(hostile_db)
    result = claims("actor", "add", "--kind", "person", "--db", hostile_db, "--", name)

    def read_back():
        actors = json.loads(claims("actor", "list", "-f", "json", db=hostile_db).stdout)
        return next(a["name"] for a in actors if a["id"] == int(result.stdout))

    stored_exactly_or_refused(result, hostile_db, before, read_back, name)


@FAST
@given(title=TEXT)
@payload_examples
def test_source_titles(hostile_db, title):
    before = database_bytes(hostile_db)
    result = claims("source", "add", "--title", title, "--outlet", "Wire", db=hostile_db)

    def read_back():
        sources = json.loads(claims("source", "list", "-f", "json", db=hostile_db).stdout)
        return next(s["title"] for s in sources if s["id"] == int(result.stdout))

    stored_exactly_or_refused(result, hostile_db, before, read_back, title)


@FAST
@given(reason=TEXT)
@payload_examples
def test_status_reasons(hostile_db, reason):
    claim_id = (
        claims("add", f"status claim {hash(reason)} {len(reason)}", "--source", "1", db=hostile_db).stdout.strip()
        or "1"
    )
    before = database_bytes(hostile_db)
    result = claims("status", "--reason", reason, "--db", hostile_db, "--", claim_id, "disputed")
    stored_exactly_or_refused(
        result, hostile_db, before, lambda: show(hostile_db, claim_id)["history"][-1]["reason"], reason
    )


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=TEXT)
@payload_examples
def test_every_option_refuses_garbage_in_one_line(hostile_db, value):
    """Dates, URLs, statuses, roles, figures, languages and search never crash, whatever they get."""
    for args in (
        ["add", "garbage option claim", "--source", "1", "--said-on", value],
        ["add", "garbage option claim", "--source", "1", "--figure", value],
        ["add", "garbage option claim", "--source", "1", "--lang", value],
        ["add", "garbage option claim", "--source", value],
        ["status", "--reason", "r", "--", "1", value],
        ["stance", "--", "1", "Seoul", value],
        ["source", "add", "--title", "t", "--url", value, "--published", value],
    ):
        before = database_bytes(hostile_db)
        result = claims(*_with_db(args, hostile_db))
        assert "Traceback" not in result.output
        if result.exit_code != 0:
            assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, (args, result.stderr)
            assert database_bytes(hostile_db) == before, args  # refused: nothing written
    result = claims("list", "--search", value, "-f", "json", db=hostile_db)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    if result.exit_code == 0:
        assert isinstance(json.loads(result.stdout), list)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    record=st.dictionaries(
        st.sampled_from(
            ["text", "translation", "status", "said_on", "asserted_by", "figures", "notes", "quote", "changes", "extra"]
        ),
        st.one_of(TEXT, st.integers(), st.none(), st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=2)),
    )
)
def test_jsonl_import_of_arbitrary_records(tmp_path_factory, record):
    path = tmp_path_factory.mktemp("jsonl") / "claims.db"
    open_db(path, create=True).close()
    record = {"source": {"title": "S"}, **record}
    data = path.parent / "in.jsonl"
    data.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    before = database_bytes(path)
    with open_db(path) as db:
        try:
            summary = import_path(db, data)
        except InvalidRecords as e:
            assert e.problems and all(str(p).startswith("in.jsonl:1: ") for p in e.problems)
            db.close()
            assert database_bytes(path) == before
            return
        assert summary.added == 1
        stored = db.execute("select text from claims").fetchone()[0]
        assert stored == str(record["text"]).strip()


# Bytes that are not UTF-8 on a command line reach Python as lone surrogates (U+DC80-U+DCFF: b"\xed" is "\udced");
# a JSON or YAML escape such as \ud800 gives one too. SQLite cannot store them: each is refused, naming where.
NOT_UTF8 = "\udced\udca0\udc80"  # how Python reads the bytes ED A0 80 (an encoded surrogate) in an argument


@pytest.mark.parametrize(
    "args,name",
    [
        (["add", f"{NOT_UTF8} x", "--source", "1"], "TEXT"),
        (["add", "claim", "--source", "1", "--by", f"Se{NOT_UTF8}oul"], "--by"),
        (["add", "claim", "--source", "1", f"--notes=n{NOT_UTF8}"], "--notes"),
        (["add", "claim", "--source", f"1{NOT_UTF8}"], "--source"),
        (["list", "--search", NOT_UTF8], "--search"),
        (["actor", "add", "--kind", "person", "--", f"A{NOT_UTF8}"], "NAME"),
        (["source", "add", "--title", f"T{NOT_UTF8}"], "--title"),
        (["status", "--reason", f"r{NOT_UTF8}", "--", "1", "disputed"], "--reason"),
        (["import", f"in{NOT_UTF8}.jsonl"], "PATH"),
    ],
)
def test_arguments_that_are_not_utf8_are_refused_in_one_line(hostile_db, args, name):
    before = database_bytes(hostile_db)
    result = claims(*_with_db(args, hostile_db))
    assert result.exit_code == 1, result.output
    at = next(a for a in args if NOT_UTF8 in a).removeprefix("--notes=").index(NOT_UTF8) + 1
    assert result.stderr == f"Error: {name} is not valid UTF-8: byte 0xED at character {at}\n"
    assert result.stdout == ""
    assert database_bytes(hostile_db) == before


def test_environment_and_lone_surrogates_are_named(hostile_db, monkeypatch):
    before = database_bytes(hostile_db)
    result = claims("add", "claim \ud800", "--source", "1", db=hostile_db)
    assert result.stderr == "Error: TEXT is not valid UTF-8: a lone surrogate (U+D800) at character 7\n"
    monkeypatch.setenv("CLAIMS_USER", "\udcff")
    result = claims("add", "claim", "--source", "1", db=hostile_db)
    assert result.stderr == "Error: $CLAIMS_USER is not valid UTF-8: byte 0xFF at character 1\n"
    assert database_bytes(hostile_db) == before
    assert claims("list", "-f", "json", db=hostile_db).exit_code == 0  # read-only commands do not use it


def test_bytes_that_are_not_utf8_on_a_real_command_line(hostile_db):
    """The same through the operating system: the bytes as the shell passes them, decoded by Python itself."""
    import subprocess
    import sys

    before = database_bytes(hostile_db)
    command = [sys.executable, "-m", "claims", "add", b"\xed\xa0\x80 x", "--source", "1", "--db", str(hostile_db)]
    result = subprocess.run(command, capture_output=True, cwd=Path(__file__).parent.parent, check=False)
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr == b"Error: TEXT is not valid UTF-8: byte 0xED at character 1\n"
    assert database_bytes(hostile_db) == before


@settings(max_examples=EXAMPLES // 3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=TEXT, surrogate=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), after=TEXT)
def test_any_text_with_a_surrogate_is_refused(hostile_db, before, surrogate, after):
    files = database_bytes(hostile_db)
    result = claims("add", "--source", "1", "--translation", before + surrogate + after, "--db", hostile_db, "--", "t")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("Error: --translation is not valid UTF-8: ") and result.stderr.count("\n") == 1
    assert database_bytes(hostile_db) == files


SURROGATE_FILES = [
    (
        "in.jsonl",
        '{"text": "bad \\ud800 x", "source": {"title": "t"}}\n',
        ["in.jsonl:1: text: not valid Unicode: character 5 is a lone surrogate (U+D800)"],
    ),
    (
        "in.jsonl",
        (
            '{"text": "ok", "source": {"title": "t\\udfff"}, "asserted_by": ["A\\ud83d"], '
            '"figures": ["killed=5 \\udc00"], "changes": [{"status": "confirmed", "reason": "r\\ud800"}]}\n'
        ),
        [
            "in.jsonl:1: source.title: not valid Unicode: character 2 is a lone surrogate (U+DFFF)",
            "in.jsonl:1: changes[1].reason: not valid Unicode: character 2 is a lone surrogate (U+D800)",
            "in.jsonl:1: asserted_by[1]: not valid Unicode: character 2 is a lone surrogate (U+D83D)",
            "in.jsonl:1: figures[1]: not valid Unicode: character 10 is a lone surrogate (U+DC00)",
        ],
    ),
    (
        "in.yml",
        (
            'actors:\n  - name: "A\\ud800"\n    kind: person\n    aliases: ["x\\udc00"]\n'
            'claims:\n  - text: "T \\ud800"\n    source: {title: S}\n'
        ),
        [
            "in.yml:2: name: not valid Unicode: character 2 is a lone surrogate (U+D800)",
            "in.yml:2: aliases[1]: not valid Unicode: character 2 is a lone surrogate (U+DC00)",
            "in.yml:6: text: not valid Unicode: character 3 is a lone surrogate (U+D800)",
        ],
    ),
    (
        "in.json",
        (
            '{"@type": "ClaimReview", "claimReviewed": "bad \\ud800", "reviewRating": {"alternateName": "False"},'
            ' "url": "https://example.org/r"}'
        ),
        ["in.json review 1: text: not valid Unicode: character 5 is a lone surrogate (U+D800)"],
    ),
]


@pytest.mark.parametrize("name,content,problems", SURROGATE_FILES)
def test_lone_surrogate_escapes_in_files_are_refused_naming_file_line_and_field(tmp_path, name, content, problems):
    path = tmp_path / "claims.db"
    open_db(path, create=True).close()
    data = tmp_path / name
    data.write_text(content, encoding="utf-8")
    before = database_bytes(path)
    result = claims("import", data, db=path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    records = len({problem.split(": ")[0] for problem in problems})
    summary = f"{records} invalid record{'s' if records > 1 else ''} in {name}; nothing was imported"
    assert result.stderr.splitlines() == [f"  {p}" for p in problems] + [
        f"Error: {summary} (fix them, or pass --skip-invalid)"
    ]
    assert database_bytes(path) == before


def test_rejected_records_keep_their_surrogate_escapes(tmp_path):
    path = tmp_path / "claims.db"
    open_db(path, create=True).close()
    data = tmp_path / "in.jsonl"
    data.write_text('{"text": "bad \\ud800 x", "source": {"title": "t"}}\n{"text": "good", "source": {"title": "t"}}\n')
    result = claims("import", data, "--skip-invalid", db=path)
    assert result.exit_code == 0, result.output
    rejected = [json.loads(line) for line in (tmp_path / "in.jsonl.rejected.jsonl").read_text("utf-8").splitlines()]
    assert [r["record"]["text"] for r in rejected] == ["bad \ud800 x"]  # the escape again, read back as it was
    assert [c["text"] for c in json.loads(claims("list", "-f", "json", db=path).stdout)] == ["good"]


def test_a_csv_cannot_hold_a_surrogate(tmp_path):
    """CSV has no escapes: the bytes of an encoded surrogate are invalid UTF-8, and \\ud800 is six characters."""
    path = tmp_path / "claims.db"
    open_db(path, create=True).close()
    data = tmp_path / "in.csv"
    data.write_bytes(b"text,source_title\n\xed\xa0\x80 x,S\n")
    result = claims("import", data, db=path)
    assert result.exit_code == 1 and result.stderr.startswith("  in.csv:2: not valid UTF-8")
    data.write_text("text,source_title\nbad \\ud800 x,S\n")
    assert claims("import", data, db=path).exit_code == 0
    assert json.loads(claims("show", "1", "-f", "json", db=path).stdout)["text"] == "bad \\ud800 x"
