"""Arbitrary and hostile text at every command and import path: stored exactly, or refused in one line.

Each property runs `EXAMPLES` generated inputs (Hypothesis) mixed with a fixed list of payloads.
"""

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from claims.db import open_db
from claims.interchange import import_path
from claims.records import InvalidRecords
from test_cli import claims, database_files

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
    assert database_files(path) == before
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
    before = database_files(hostile_db)
    result = claims("add", "--source", "1", "--by", "Seoul", "--db", hostile_db, "--", text)
    stored_exactly_or_refused(result, hostile_db, before, lambda: show(hostile_db, result.stdout.strip())["text"], text)


@FAST
@given(text=TEXT)
@payload_examples
def test_translation_and_notes(hostile_db, text):
    before = database_files(hostile_db)
    claim_text = f"claim with notes {len(database_files(hostile_db)[hostile_db.name])}-{hash(text)}"
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
    before = database_files(hostile_db)
    result = claims("actor", "add", "--kind", "person", "--db", hostile_db, "--", name)

    def read_back():
        actors = json.loads(claims("actor", "list", "-f", "json", db=hostile_db).stdout)
        return next(a["name"] for a in actors if a["id"] == int(result.stdout))

    stored_exactly_or_refused(result, hostile_db, before, read_back, name)


@FAST
@given(title=TEXT)
@payload_examples
def test_source_titles(hostile_db, title):
    before = database_files(hostile_db)
    result = claims("source", "add", "--title", title, "--outlet", "Wire", db=hostile_db)

    def read_back():
        sources = json.loads(claims("source", "list", "-f", "json", db=hostile_db).stdout)
        return next(s["title"] for s in sources if s["id"] == int(result.stdout))

    stored_exactly_or_refused(result, hostile_db, before, read_back, title)


@FAST
@given(reason=TEXT)
@payload_examples
def test_status_reasons(hostile_db, reason):
    claim_id = claims("add", f"status claim {hash(reason)} {len(reason)}", "--source", "1", db=hostile_db).stdout.strip() or "1"
    before = database_files(hostile_db)
    result = claims("status", "--reason", reason, "--db", hostile_db, "--", claim_id, "disputed")
    stored_exactly_or_refused(result, hostile_db, before, lambda: show(hostile_db, claim_id)["history"][-1]["reason"], reason)


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
        before = database_files(hostile_db)
        result = claims(*_with_db(args, hostile_db))
        assert "Traceback" not in result.output
        if result.exit_code != 0:
            assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1, (args, result.stderr)
            assert database_files(hostile_db) == before, args  # refused: nothing written
    result = claims("list", "--search", value, "-f", "json", db=hostile_db)
    assert result.exit_code in (0, 1) and "Traceback" not in result.output
    if result.exit_code == 0:
        assert isinstance(json.loads(result.stdout), list)


@settings(max_examples=EXAMPLES, deadline=None)
@given(record=st.dictionaries(st.sampled_from(["text", "translation", "status", "said_on", "asserted_by", "figures", "notes", "quote", "changes", "extra"]),
                              st.one_of(TEXT, st.integers(), st.none(), st.lists(TEXT, max_size=3), st.dictionaries(TEXT, TEXT, max_size=2))))
def test_jsonl_import_of_arbitrary_records(tmp_path_factory, record):
    path = tmp_path_factory.mktemp("jsonl") / "claims.db"
    open_db(path, create=True).close()
    record = {"source": {"title": "S"}, **record}
    data = path.parent / "in.jsonl"
    data.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    before = database_files(path)
    with open_db(path) as db:
        try:
            summary = import_path(db, data)
        except InvalidRecords as e:
            assert e.problems and all(str(p).startswith("in.jsonl:1: ") for p in e.problems)
            db.close()
            assert database_files(path) == before
            return
        assert summary.added == 1
        stored = db.execute("select text from claims").fetchone()[0]
        assert stored == str(record["text"]).strip()
