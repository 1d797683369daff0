import io
import json
import tracemalloc

import pytest

from claims import model
from claims.db import open_db
from claims.errors import ClaimsError, InvalidValue
from claims.io.bundle import example_path, load_example
from claims.io.imports import import_path
from claims.io.readers import CSV_COLUMNS, read_jsonl
from claims.io.writers import actor_records, iter_claims, write_csv, write_jsonl, write_yaml
from claims.maintenance import check
from claims.records import InvalidRecords
from claims.values import parse_figure
from claims.writing import INITIAL_STATUS_REASON

EXAMPLE_CLAIMS = 19  # the bundled example: the ATS story's 12 claims and the 7 of its later report
RICH_CLAIMS = EXAMPLE_CLAIMS + 1


def snapshot(path):
    return {p.name: p.read_bytes() for p in sorted(path.parent.glob(path.name + "*"))}


@pytest.fixture
def rich_db(tmp_path):
    """The example plus what the example lacks: a stance with its own source and date, evidence, a range."""
    path = tmp_path / "rich.db"
    with open_db(path, create=True) as db:
        load_example(db)
        later = model.add_source(
            db, "KCNA statement", url="https://example.org/kcna", outlet="KCNA", published="2025-09-02", language="en"
        )
        model.add_stance(db, 4, "Pyongyang", "denies", source=later, on="2025-09-02")
        model.set_status(
            db,
            4,
            "disputed",
            reason="Pyongyang denies the figure",
            evidence="https://example.org/kcna",
            on="2025-09-02",
        )
        model.add_claim(
            db,
            "Between 1,500 and 12,000 troops",
            source=later,
            parties=[("KCNA", "asserts")],
            is_quote=True,
            figures=[parse_figure("troops_sent=1500-12000 troops")],
            translation="Entre 1 500 et 12 000",
            notes="Range",
        )
    return path


def export(path, writer):
    out = io.StringIO()
    with open_db(path) as db:
        if writer is write_yaml:
            write_yaml(db, out)
        elif writer is write_jsonl:
            write_jsonl(iter_claims(db), out, actor_records(db))
        else:
            writer(iter_claims(db), out)
    return out.getvalue()


def reimport(text, tmp_path, suffix, target=None):
    file = tmp_path / f"export{suffix}"
    file.write_text(text, encoding="utf-8")
    target = target or tmp_path / f"copy{suffix}.db"
    if not target.exists():
        open_db(target, create=True).close()
    with open_db(target) as db:
        summary = import_path(db, file, create_actors=suffix == ".csv")  # CSV names actors without declaring them
    return target, summary


@pytest.mark.parametrize("writer,suffix", [(write_yaml, ".yml"), (write_jsonl, ".jsonl"), (write_csv, ".csv")])
def test_export_import_export_is_identical(rich_db, tmp_path, writer, suffix):
    first = export(rich_db, writer)
    copy, summary = reimport(first, tmp_path, suffix)
    assert summary.added == RICH_CLAIMS and summary.rejected == 0
    assert export(copy, writer) == first
    with open_db(copy) as db:
        assert check(db) == []
        assert [c["id"] for c in model.list_claims(db, search="seoul 600")] == [4, 14]


def test_yaml_round_trip_keeps_everything(rich_db, tmp_path):
    copy, _ = reimport(export(rich_db, write_yaml), tmp_path, ".yml")
    with open_db(rich_db) as original, open_db(copy) as restored:
        for claim_id in range(1, RICH_CLAIMS + 1):
            before, after = model.get_claim(original, claim_id), model.get_claim(restored, claim_id)
            for key in ("created_at", "updated_at", "status_changed_at"):
                before.pop(key), after.pop(key)
            for claim, db in ((before, original), (after, restored)):  # sources are recorded in the order met
                claim["source"].pop("created_at"), claim["source"].pop("id")
                titles = {row["id"]: row["title"] for row in db["sources"].rows}
                for row in claim["attributions"] + claim["reports"]:
                    row["source_id"] = titles.get(row["source_id"])
            for change in before["history"] + after["history"]:
                change.pop("recorded_at")
            before.pop("revisions"), after.pop("revisions")  # the database's own log of edits, not exported
            before["attributions"].sort(key=repr), after["attributions"].sort(key=repr)
            assert after == before
        assert [a["name"] for a in model.list_actors(restored)] == [a["name"] for a in model.list_actors(original)]


def test_jsonl_record_shape(rich_db):
    lines = [json.loads(line) for line in export(rich_db, write_jsonl).splitlines()]
    actors = [line["actor"] for line in lines if "actor" in line]
    seoul_actor = next(actor for actor in actors if actor["name"] == "Seoul")
    assert (
        seoul_actor["kind"] == "government"
        and seoul_actor["country"] == "KR"
        and "South Korea" in seoul_actor["aliases"]
    )
    records = lines[len(actors) :]
    seoul = records[3]
    assert seoul["asserted_by"] == ["Seoul"]
    assert seoul["denied_by"] == [
        {
            "actor": "Pyongyang",
            "date": "2025-09-02",
            "source": {
                "title": "KCNA statement",
                "url": "https://example.org/kcna",
                "outlet": "KCNA",
                "published": "2025-09-02",
                "language": "en",
            },
        }
    ]
    assert seoul["changes"] == [
        {
            "status": "disputed",
            "reason": "Pyongyang denies the figure",
            "evidence": "https://example.org/kcna",
            "date": "2025-09-02",
        }
    ]
    assert seoul["figures"] == ["killed=~600 soldiers", "wounded=>=1000 soldiers"]


def test_csv_has_documented_columns(rich_db):
    header = export(rich_db, write_csv).splitlines()[0]
    assert header.split(",") == CSV_COLUMNS


def test_importing_twice_adds_nothing(rich_db, tmp_path):
    text = export(rich_db, write_jsonl)
    copy, _ = reimport(text, tmp_path, ".jsonl")
    before = snapshot(copy)
    _, second = reimport(text, tmp_path, ".jsonl", target=copy)
    assert (second.added, second.updated, second.unchanged) == (0, 0, RICH_CLAIMS)
    with open_db(copy) as db:
        assert db["claims"].count == RICH_CLAIMS and db["status_changes"].count == 25
    assert before.keys() == snapshot(copy).keys()


def test_reimporting_edited_yaml_updates_and_appends_history(rich_db, tmp_path):
    import yaml

    document = yaml.safe_load(export(rich_db, write_yaml))
    claim = document["claims"][0]
    claim["translation"] = "Edited translation"
    claim["not_confirmed_by"] = ["Seoul"]
    claim["figures"] = ["killed=12"]
    claim["changes"] = [
        {"status": "confirmed", "reason": "Seen on video", "evidence": "https://example.org/v", "date": "2025-09-05"}
    ]
    (tmp_path / "edited.yml").write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    with open_db(rich_db) as db:
        summary = import_path(db, tmp_path / "edited.yml")
        assert (summary.added, summary.updated, summary.unchanged) == (0, 1, RICH_CLAIMS - 1)
        after = model.get_claim(db, 1)
    assert after["translation"] == "Edited translation"
    assert after["not_confirmed_by"] == ["Seoul"] and after["asserted_by"] == ["KCNA"]
    assert [f["text"] for f in after["figures"]] == ["12"]
    assert after["status"] == "confirmed"
    assert [(h["from"], h["to"], h["reason"]) for h in after["history"]] == [
        (None, "unconfirmed", INITIAL_STATUS_REASON),
        ("unconfirmed", "confirmed", "Seen on video"),
    ]


def test_rewriting_history_is_refused_and_nothing_changes(rich_db, tmp_path):
    import yaml

    document = yaml.safe_load(export(rich_db, write_yaml))
    document["claims"][1]["changes"][0]["status"] = "confirmed"  # was corroborated
    document["claims"][0]["translation"] = "would be updated"
    (tmp_path / "rewritten.yml").write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    before = snapshot(rich_db)
    with open_db(rich_db) as db, pytest.raises(InvalidRecords) as e:
        import_path(db, tmp_path / "rewritten.yml")
    assert [str(p) for p in e.value.problems] == [
        f"rewritten.yml:{e.value.problems[0].where.split(':')[1]}: changes: the status history differs from the one "
        "recorded for claim 2, which cannot be rewritten: add new status changes at the end instead"
    ]
    assert snapshot(rich_db) == before


def test_folder_of_yaml_files(tmp_path, db):
    folder = tmp_path / "claims-as-code"
    folder.mkdir()
    (folder / "actors.yml").write_text("actors:\n- {name: Seoul, kind: government, aliases: [Séoul]}\n")
    (folder / "sources.yml").write_text(
        "sources:\n- {key: wire, title: Wire story, outlet: AFP, published: 2025-08-30}\n"
    )
    (folder / "claims.yaml").write_text(
        "claims:\n- source: wire\n  text: Selon Séoul, 600 morts\n  asserted_by: [séoul]\n  figures: ['killed=~600']\n"
    )
    (folder / "README.txt").write_text("not read")
    summary = import_path(db, folder)
    assert (summary.added, summary.sources, summary.actors) == (1, 1, 1)
    assert model.get_claim(db, 1)["asserted_by"] == ["Seoul"]


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


GOOD = json.dumps({"text": "Fine claim", "source": {"title": "Story"}, "asserted_by": ["Seoul"]})


def test_every_problem_is_reported_with_line_and_field(db_path, tmp_path):
    lines = [
        GOOD,
        json.dumps({"text": "x", "source": {"title": "S"}, "status": "maybe"}),
        '{"text": "broken", "source": ',
        json.dumps({"text": "", "source": {"title": "S"}, "colour": "red", "figures": ["killed=lots"]}),
        json.dumps({"text": "y", "source": {"title": "S", "published": "2025-02-30"}, "said_on": "31/12/2025"}),
        json.dumps(["not", "a", "mapping"]),
        json.dumps({"text": "z" * 20_001, "source": {"title": "S"}}),
    ]
    path = write(tmp_path, "claims.jsonl", "\n".join(lines) + "\n")
    before = snapshot(db_path)
    with open_db(db_path) as db, pytest.raises(InvalidRecords) as e:
        import_path(db, path, create_actors=True)
    assert str(e.value) == "6 invalid records in claims.jsonl; nothing was imported (fix them, or pass --skip-invalid)"
    assert [str(p) for p in e.value.problems] == [
        "claims.jsonl:2: status: unknown status 'maybe': expected one of unconfirmed, corroborated, confirmed, disputed, denied, false, retracted",
        "claims.jsonl:3: invalid JSON (Expecting value, character 31)",
        "claims.jsonl:4: colour: unknown field",
        "claims.jsonl:4: text: claim text is empty",
        "claims.jsonl:4: figures[1]: invalid figure 'killed=lots': the value must be N, ~N, >N, >=N, <N, <=N or N-M, optionally followed by a unit",
        "claims.jsonl:5: source.published: invalid publication date '2025-02-30': day is out of range for month",
        "claims.jsonl:5: said_on: invalid date said '31/12/2025': use YYYY-MM-DD (or YYYY-MM, or YYYY when that is all that is known)",
        "claims.jsonl:6: a claim record must be a mapping",
        "claims.jsonl:7: text: claim text is 20,001 characters long; the limit is 20,000",
    ]
    assert snapshot(db_path) == before


@pytest.mark.parametrize(
    "content,problem",
    [
        (
            GOOD.encode() + b"\n" + b'{"text": "caf\xe9", "source": {"title": "S"}}\n',
            "claims.jsonl:2: not valid UTF-8 (byte 14 of the line)",
        ),
        (
            GOOD.encode() + b"\n" + GOOD.encode()[:25],
            "claims.jsonl:2: invalid JSON (Unterminated string starting at, character 24) (the line is cut short: is the file truncated?)",
        ),
        (
            b'{"text": "' + b"x" * 3_000_001 + b'"}\n' + GOOD.encode() + b"\n",
            "claims.jsonl:1: line is longer than 1,000,000 bytes",
        ),
    ],
)
def test_broken_files_are_refused_untouched(db_path, tmp_path, content, problem):
    path = write(tmp_path, "claims.jsonl", content)
    before = snapshot(db_path)
    with open_db(db_path) as db, pytest.raises(InvalidRecords) as e:
        import_path(db, path, create_actors=True)
    assert [str(p) for p in e.value.problems] == [problem]
    assert snapshot(db_path) == before


def test_skip_invalid_imports_the_rest_and_writes_rejects(db, tmp_path):
    bad = json.dumps({"text": "x", "source": {"title": "S"}, "status": "maybe"})
    path = write(tmp_path, "claims.jsonl", f"{GOOD}\n{bad}\n{{oops\n")
    rejects = io.StringIO()
    summary = import_path(db, path, skip_invalid=True, rejects=rejects, create_actors=True)
    assert (summary.added, summary.rejected) == (1, 2)
    rejected = [json.loads(line) for line in rejects.getvalue().splitlines()]
    assert [r["where"] for r in rejected] == ["claims.jsonl:2", "claims.jsonl:3"]
    assert rejected[0]["record"]["status"] == "maybe" and "unknown status" in rejected[0]["problems"][0]
    assert rejected[1]["line"] == "{oops\n"
    assert [c["text"] for c in model.list_claims(db)] == ["Fine claim"]


def test_csv_problems_name_rows(db_path, tmp_path):
    header = ",".join(CSV_COLUMNS)
    row_ok = "Claim one,,,,,,,,Story,,,,,Seoul,,,,,,killed=~600"
    row_bad = "Claim two,,,maybe,,,,,Story,,,,,Seoul,,,,,,"
    path = write(tmp_path, "claims.csv", f"{header}\n{row_ok}\n{row_bad}\n")
    with open_db(db_path) as db, pytest.raises(InvalidRecords) as e:
        import_path(db, path, create_actors=True)
    assert [str(p) for p in e.value.problems] == ["claims.csv:3: quote: quote must be true or false, not 'maybe'"]
    bad_header = write(tmp_path, "other.csv", "text,colour\nx,red\n")
    with open_db(db_path) as db, pytest.raises(InvalidRecords, match="1 invalid record"):
        import_path(db, bad_header)


FIGURE_RECORDS = {
    "yml": "sources:\n- {key: s, title: Story}\nclaims:\n- source: s\n  text: Protest\n  asserted_by: [Seoul]\n"
    "  figures: ['protesters=%s', 'killed=~3']\n",
    "csv": ",".join(CSV_COLUMNS) + "\nProtest,,,,,,,,Story,,,,,Seoul,,,,,,protesters=%s; killed=~3\n",
    "jsonl": json.dumps(
        {
            "text": "Protest",
            "source": {"title": "Story"},
            "asserted_by": ["Seoul"],
            "figures": ["protesters=%s", "killed=~3"],
        }
    )
    + "\n",
}


@pytest.mark.parametrize("suffix,line", [("yml", 4), ("csv", 2), ("jsonl", 1)])
def test_a_figure_is_stored_as_it_reads_or_refused(db_path, tmp_path, suffix, line):
    refused = write(tmp_path, f"bad.{suffix}", FIGURE_RECORDS[suffix] % "25 00")
    before = snapshot(db_path)
    with open_db(db_path) as db, pytest.raises(InvalidRecords) as e:
        import_path(db, refused)
    assert [str(p) for p in e.value.problems] == [
        (
            f"bad.{suffix}:{line}: figures[1]: invalid figure 'protesters=25 00': '25 00' is not a number: digits after "
            "a thousands separator come in groups of three with the same separator throughout (25 000, 1,500), and a "
            "unit cannot start with a digit"
        )
    ]
    assert snapshot(db_path) == before
    with open_db(db_path) as db:
        import_path(db, write(tmp_path, f"good.{suffix}", FIGURE_RECORDS[suffix] % "25 000"), create_actors=True)
        figures = model.get_claim(db, 1)["figures"]
    assert [(f["measure"], f["low"], f["high"], f["unit"]) for f in figures] == [
        ("protesters", 25000, 25000, None),
        ("killed", 3, 3, None),
    ]


def test_yaml_problems_name_lines(db_path, tmp_path):
    path = write(
        tmp_path,
        "claims.yml",
        "sources:\n- {key: s, title: Story}\nclaims:\n- source: s\n  text: ok\n- source: s\n  text: bad\n  status: maybe\n- source: nowhere\n  text: lost\n",
    )
    with open_db(db_path) as db, pytest.raises(InvalidRecords) as e:
        import_path(db, path)
    assert [str(p) for p in e.value.problems] == [
        "claims.yml:6: status: unknown status 'maybe': expected one of unconfirmed, corroborated, confirmed, disputed, denied, false, retracted",
        "claims.yml:9: source: unknown source key 'nowhere' (not in any sources section)",
    ]
    broken = write(tmp_path, "broken.yml", "claims: [unclosed\n")
    with open_db(db_path) as db, pytest.raises(InvalidValue) as e:
        import_path(db, broken)
    assert str(e.value) == "broken.yml:1: the '[' at column 9 is not closed with ']'"


SEED = example_path().read_text(encoding="utf-8")
FIRST_TEXT = '    text: "Le dirigeant nord-coréen'
FIRST_TRANSLATION = '    translation: "North Korean leader'
SECOND_CLAIM = '  - source: ats-2025-08-30\n    text: "Les services secrets de la Corée du Sud et de pays occidentaux'


def line_of(text, snippet):
    return text[: text.index(snippet)].count("\n") + 1


def hand_edited(old, new):
    """The bundled example as a newcomer may leave it after editing it by hand: the first `old` made `new`."""
    assert old in SEED
    return SEED.replace(old, new, 1)


# (what went wrong, the edit, the message with {line}: where the edit is, and {first}: line of the first claim)
ALIGN = "an entry's fields line up"
HAND_BROKEN = [
    (
        "field indented one space short",
        FIRST_TRANSLATION,
        FIRST_TRANSLATION[1:],
        "{line}: bad indentation: 'translation' is indented by 3 spaces, 'text' on line {previous} by 4: " + ALIGN,
    ),
    (
        "field indented like the '-'",
        "    said_on: 2025-08-30\n",
        "  said_on: 2025-08-30\n",
        "{line}: bad indentation: 'said_on' is indented by 2 spaces, 'translation' on line {previous} by 4: " + ALIGN,
    ),
    (
        "closing quote deleted",
        'un média officiel samedi."',
        "un média officiel samedi.",
        "{line}: the quote opened on this line is not closed (its value runs on to line {next})",
    ),
    (
        "tab before a field",
        "    relayed_by: [ATS]",
        "\trelayed_by: [ATS]",
        "{line}: a tab character: use spaces instead (YAML does not accept tabs for indentation)",
    ),
    (
        "'- ' of a claim deleted",
        SECOND_CLAIM,
        SECOND_CLAIM.replace("  - source", "    source"),
        "{line}: 'source' is given twice (first on line {first}): if it starts another entry, begin that with '- '",
    ),
    (
        "field given twice",
        FIRST_TRANSLATION,
        FIRST_TRANSLATION.replace("translation", "text"),
        "{line}: 'text' is given twice (first on line {previous}): if it starts another entry, begin that with '- '",
    ),
    (
        "section name misspelled",
        "\nclaims:\n",
        "\nclaim:\n",
        "{line}: unknown section 'claim' (expected actors, claims, sources; did you mean claims?)",
    ),
    (
        "claim field left at the top level",
        "\nclaims:\n",
        "\nstatus: confirmed\nclaims:\n",
        (
            "{line}: unknown section 'status' (expected actors, claims, sources; 'status' is a field of a claim:"
            " indent it under its claim)"
        ),
    ),
    (
        "colon in an unquoted value",
        "    notes: \"The 'official media'",
        "    notes: Source: KCNA, 'official media'",
        "{line}: a value holds ': ' (a colon and a space): put the whole value in quotes",
    ),
    (
        "apostrophe inside '...'",
        FIRST_TRANSLATION,
        "    translation: 'North Korea's leader' and",
        "{line}: the value's closing quote comes early: inside '...' write ' as '' (or quote with \"...\")",
    ),
    (
        "list left open",
        "    asserted_by: [KCNA]",
        "    asserted_by: [KCNA",
        "{line}: the '[' at column 18 is not closed with ']'",
    ),
    (
        "no space after a colon",
        "    said_on: 2025-08-30",
        "    said_on:2025-08-30",
        "{line}: put a space after the ':' of 'said_on'",
    ),
]


@pytest.mark.parametrize("old,new,message", [case[1:] for case in HAND_BROKEN], ids=[case[0] for case in HAND_BROKEN])
def test_hand_edited_yaml_mistakes_are_said_in_words_at_their_line(db_path, tmp_path, old, new, message):
    text = hand_edited(old, new)
    path = write(tmp_path, "seed.yml", text)
    line = line_of(text, new) + len(new) - len(new.lstrip("\n"))  # the line the edit begins on
    first = line_of(SEED, "  - source:")
    expected = "seed.yml:" + message.format(line=line, previous=line - 1, next=line + 1, first=first)
    before = snapshot(db_path)
    with open_db(db_path) as db, pytest.raises(InvalidValue) as e:
        import_path(db, path)
    assert str(e.value) == expected
    assert snapshot(db_path) == before


PASTED = "Kim Jong Un a promis de soutenir les familles."


def test_hand_edited_yaml_entries_that_are_not_claims(db_path, tmp_path):
    """A sentence pasted as a claim, an empty '-', a date that does not exist: each at its line, nothing written."""
    text = hand_edited("\nclaims:\n", f"\nclaims:\n  - {PASTED}\n  -\n")
    text = text.replace("    said_on: 2025-08-30\n", "    said_on: 2025-02-30\n", 1)
    path = write(tmp_path, "seed.yml", text)
    before = snapshot(db_path)
    with open_db(db_path) as db, pytest.raises(InvalidRecords) as e:
        import_path(db, path)
    first = line_of(text, f"  - {PASTED}")
    assert [str(p) for p in e.value.problems] == [
        f"seed.yml:{first}: an entry of claims is the text '{PASTED}', not fields: write each field as 'name: value'",
        f"seed.yml:{first + 1}: empty entry in claims: remove the lone '-', or give the entry its fields",
        f"seed.yml:{first + 2}: said_on: invalid date said '2025-02-30': day is out of range for month",
    ]
    assert snapshot(db_path) == before


def test_yaml_structure_problems_name_their_line(db_path, tmp_path):
    cases = {
        "sources:\n  key: s\n  title: T\nclaims:\n  - {source: s, text: x}\n": "x.yml:1: sources must be a list: begin each entry with '- '",
        "actors:\n  - name: Seoul\n    kind: government\n    said_on: 2025\n": "x.yml:2: said_on: unknown field",
        "- text: x\n": "x.yml:1: a claims YAML file is a mapping of actors, claims, sources",
        "claims:\n  - text: a\nclaims:\n  - text: b\n": "x.yml:3: 'claims' is given twice (first on line 1): put all its entries under one 'claims:'",
        'claims:\n  - text: "a\\x01b"\n  - text: "C:\\dossier"\n': "x.yml:3: a backslash inside \"...\" starts an escape such as \\n: write \\\\ for one, or quote with '...'",
        "claims:\n  - text: @Seoul says\n": "x.yml:2: a value cannot start with '@': put the value in quotes",
        'claims:\n  - text: "never closed\n  - text: b\n': "x.yml:2: the quote opened on this line is never closed",
    }
    for content, expected in cases.items():
        with open_db(db_path) as db, pytest.raises(ClaimsError) as e:
            import_path(db, write(tmp_path, "x.yml", content))
        problems = getattr(e.value, "problems", None)
        assert (str(problems[0]) if problems else str(e.value)) == expected, content


def generated(path, count):
    with path.open("w") as f:
        for n in range(count):
            f.write(
                json.dumps(
                    {
                        "text": f"Claim {n} é",
                        "source": {"title": f"Source {n % 50}"},
                        "asserted_by": [f"Actor {n % 30}"],
                        "figures": [f"killed=~{n}"],
                    }
                )
                + "\n"
            )
    return path


def test_import_memory_does_not_grow_with_the_file(tmp_path):
    peaks = []
    for count in (1_000, 8_000):
        path = generated(tmp_path / f"{count}.jsonl", count)
        target = tmp_path / f"{count}.db"
        with open_db(target, create=True) as db:
            tracemalloc.start()
            import_path(db, path, create_actors=True)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            assert db["claims"].count == count
    assert peaks[1] < 3 * peaks[0], peaks


def test_read_jsonl_streams(tmp_path):
    reader = read_jsonl(generated(tmp_path / "g.jsonl", 10))
    assert next(reader).record["text"] == "Claim 0 é"


def test_reimport_updates_actors_and_reports_alias_conflicts(rich_db, tmp_path):
    import yaml

    document = yaml.safe_load(export(rich_db, write_yaml))
    seoul = next(a for a in document["actors"] if a["name"] == "Seoul")
    seoul["aliases"].append("République de Corée")
    seoul["kind"] = "military"
    (tmp_path / "actors.yml").write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    with open_db(rich_db) as db:
        summary = import_path(db, tmp_path / "actors.yml")
        assert summary.actors_updated == 1
        assert model.get_actor(db, "republique de coree")["kind"] == "military"
    seoul["aliases"].append("Pyongyang")
    (tmp_path / "conflict.yml").write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False))
    before = snapshot(rich_db)
    with open_db(rich_db) as db, pytest.raises(InvalidRecords) as e:
        import_path(db, tmp_path / "conflict.yml")
    assert [p.message for p in e.value.problems] == ["'Pyongyang' already names actor 'Pyongyang' (id 4)"]
    assert snapshot(rich_db) == before


# Links between reports


def current_links(db):
    return sorted(db.execute("select claim_id, other_id, relation, reason from current_links").fetchall())


def new_links(db):
    """The current links of claims added after the bundled example's."""
    return [link for link in current_links(db) if max(link[:2]) > EXAMPLE_CLAIMS]


@pytest.fixture
def linked_db(rich_db):
    """The rich example plus a later report: a figure that updates Seoul's, KCNA contradicting it, a claim repeated."""
    from claims import links

    with open_db(rich_db) as db:
        later = model.add_source(
            db,
            "Seoul now puts the toll at 2,000",
            url="https://example.org/hexa/2000",
            outlet="Hexa",
            published="2025-09-24",
            language="en",
        )
        nis = [("South Korean intelligence", "asserts")]
        newer = model.add_claim(
            db,
            "About 2,000 North Korean soldiers were killed, the NIS says.",
            source=later,
            parties=nis,
            figures=[parse_figure("killed=~2000")],
        )
        denial = model.add_claim(
            db, "KCNA called the estimates a fabrication.", source=later, parties=[("KCNA", "asserts")]
        )
        repeated = model.add_claim(
            db, "Pyongyang sent more than 10,000 soldiers to Kursk in 2024.", source=later, parties=nis
        )
        links.link(db, newer, 4, "updates", reason="The NIS revised its figure")
        links.link(db, denial, newer, "contradicts", reason="KCNA denies the toll")
        links.link(db, repeated, 2, "same", reason="The troop figure again")
    return rich_db


@pytest.mark.parametrize("writer,suffix", [(write_yaml, ".yml"), (write_jsonl, ".jsonl"), (write_csv, ".csv")])
def test_links_round_trip_in_every_format(linked_db, tmp_path, writer, suffix):
    first = export(linked_db, writer)
    assert first.count("The NIS revised its figure") == 1, "each link is written once, on the claim that holds it"
    copy, summary = reimport(first, tmp_path, suffix)
    assert summary.links_added == 7 + 3 and summary.rejected == 0  # the example's and three more
    assert export(copy, writer) == first
    with open_db(linked_db) as original, open_db(copy) as restored:
        assert current_links(restored) == current_links(original)
        assert new_links(restored) == [
            (21, 4, "updates", "The NIS revised its figure"),
            (22, 21, "contradicts", "KCNA denies the toll"),
            (23, 2, "same", "The troop figure again"),
        ]
        status = model.get_claim(restored, 23)["status"]
        assert status == model.get_claim(restored, 2)["status"]  # one claim, one status
        if suffix != ".csv":  # CSV keeps the initial status only
            assert status == "corroborated"
        assert restored["claims"].get(23)["group_id"] == 2
        assert check(restored) == []


def test_links_are_written_as_their_holder_holds_them(linked_db):
    lines = [json.loads(line) for line in export(linked_db, write_jsonl).splitlines()]
    records = [line for line in lines if "actor" not in line]
    with open_db(linked_db) as db:
        updated = model.get_claim(db, 4)["text"]
    seed = {
        "title": "Soutien à la Russie: Kim Jong Un réconforte familles de ses soldats morts",
        "outlet": "ATS",
        "published": "2025-08-30",
        "language": "fr",
    }
    assert records[20]["links"] == [
        {"relation": "updates", "source": seed, "text": updated, "reason": "The NIS revised its figure"}
    ]
    assert "links" not in records[3], "the claim updated holds no link: the newer one does"
    import yaml

    document = yaml.safe_load(export(linked_db, write_yaml))
    assert document["claims"][21]["links"] == [
        {
            "relation": "contradicts",
            "source": "hexa-2025-09-24",
            "text": "About 2,000 North Korean soldiers were killed, the NIS says.",
            "reason": "KCNA denies the toll",
        }
    ]
    import csv

    rows = list(csv.DictReader(io.StringIO(export(linked_db, write_csv))))
    assert list(rows[0])[-2:] == ["links", "source_archive_url"] and rows[3]["links"] == ""
    assert [link["relation"] for link in json.loads(rows[21]["links"])] == ["contradicts"]


LINKED_YAML = """\
sources:
  - {key: hexa, title: "Seoul now puts the toll at 2,000", outlet: Hexa, published: 2025-09-24}
claims:
  - source: hexa
    text: About 2,000 soldiers were killed.
    asserted_by: [Seoul]
    links:
      - {relation: updates, claim: 4}
      - {relation: same, source: hexa, text: "Seoul: some 2,000 killed"}
  - source: hexa
    text: KCNA calls the toll a fabrication.
    asserted_by: [KCNA]
    links:
      - {relation: contradicts, source: hexa, text: "About 2,000 soldiers were killed", reason: KCNA denies it}
  - source: hexa
    text: "Seoul: some 2,000 killed"
    asserted_by: [Seoul]
"""


def test_links_of_a_file_are_written_and_importing_it_again_adds_nothing(rich_db, tmp_path):
    path = write(tmp_path, "later.yml", LINKED_YAML)
    with open_db(rich_db) as db:
        summary = import_path(db, path)
        assert (summary.added, summary.links_added) == (3, 3)
        assert "3 links added" in summary.describe()
        assert new_links(db) == [
            (21, 4, "updates", "Imported from later.yml:4"),  # the holder is the newer: 21 updates 4
            (21, 23, "same", "Imported from later.yml:4"),  # a claim further on in the file
            (22, 21, "contradicts", "KCNA denies it"),  # the text matched ignoring its final punctuation
        ]
        assert db["claims"].get(23)["group_id"] == 21
        rows = db["claim_links"].count
        again = import_path(db, path)
        assert (again.added, again.unchanged, again.links_added, again.links_replaced) == (0, 3, 0, 0)
        assert db["claim_links"].count == rows
        assert "links" not in again.describe()


def test_a_different_current_link_is_replaced_and_the_replacement_recorded(rich_db, tmp_path):
    from claims import links

    path = write(tmp_path, "later.yml", LINKED_YAML)
    with open_db(rich_db) as db:
        import_path(db, path)
        links.unlink(db, 21, 4, reason="Not an update")
        links.link(db, 4, 21, "contradicts", reason="Seen the other way")
        summary = import_path(db, path)
        assert (summary.links_added, summary.links_replaced) == (0, 1)
        assert (21, 4, "updates", "Imported from later.yml:4") in current_links(db)
        history = db.execute(
            "select claim_id, other_id, relation, action, reason from claim_links where "
            "(claim_id, other_id) in (values (4, 21), (21, 4)) order by id"
        ).fetchall()
    assert history[-2:] == [
        (4, 21, "contradicts", "unlink", "Replaced by '21 updates 4': Imported from later.yml:4"),
        (21, 4, "updates", "link", "Imported from later.yml:4"),
    ]


def test_links_the_file_does_not_list_are_kept_and_listed_or_pruned(rich_db, tmp_path):
    from claims import links

    path = write(tmp_path, "later.yml", LINKED_YAML)
    with open_db(rich_db) as db:
        import_path(db, path)
        links.link(db, 22, 2, "contradicts", reason="Recorded by hand")
        links.link(db, 1, 22, "same", reason="Held by a claim the file does not hold")
        kept = import_path(db, path)
        assert kept.kept == ["claim 22: link contradicts claim 2"]
        assert (22, 2, "contradicts", "Recorded by hand") in current_links(db)
        pruned = import_path(db, path, prune=True)
        assert (pruned.links_removed, pruned.kept) == (["claim 22: link contradicts claim 2"], [])
        assert "1 removed" in pruned.describe()
        assert (22, 2, "contradicts", "Recorded by hand") not in current_links(db)
        assert (1, 22, "same", "Held by a claim the file does not hold") in current_links(db)
        assert db.execute("select reason from claim_links where action = 'unlink'").fetchall() == [
            ("Not in later.yml:10 (imported with --prune)",)
        ]


def test_import_prints_links_kept_and_removed(rich_db, tmp_path, cli):
    from claims import links

    path = write(tmp_path, "later.yml", LINKED_YAML)
    assert "3 links added" in cli("import", path, db=rich_db).stderr
    with open_db(rich_db) as db:
        links.link(db, 22, 2, "contradicts", reason="Recorded by hand")
    assert "kept claim 22: link contradicts claim 2: not in the file" in cli("import", path, db=rich_db).stderr
    result = cli("import", path, "--prune", db=rich_db)
    assert "removed claim 22: link contradicts claim 2 (kept in the history of links)" in result.stderr


BAD_LINKS = """\
sources:
  - {key: hexa, title: Later story}
claims:
  - source: hexa
    text: First claim.
    links:
      - {relation: updtes, claim: 4}
      - {relation: same}
      - {relation: same, claim: 4, source: hexa, text: Second claim}
      - {claim: two, colour: red}
      - contradicts
  - source: hexa
    text: Second claim.
    links:
      - {relation: same, source: hexa, text: Not anywhere}
      - {relation: same, source: hexa, text: second claim}
      - {relation: same, claim: 999}
  - source: hexa
    text: Third claim.
    links: {relation: same, claim: 1}
  - source: hexa
    text: Fourth claim.
    links: [{relation: same, source: nowhere, text: x}]
"""


def test_link_problems_name_line_and_field_and_nothing_is_written(rich_db, tmp_path):
    path = write(tmp_path, "bad.yml", BAD_LINKS)
    before = snapshot(rich_db)
    with open_db(rich_db) as db, pytest.raises(InvalidRecords) as e:
        import_path(db, path)
    first, second, third, fourth = (
        line_of(BAD_LINKS, f"    text: {n} claim.") - 1 for n in ("First", "Second", "Third", "Fourth")
    )
    assert [str(p) for p in e.value.problems] == [
        (
            f"bad.yml:{first}: links[1].relation: unknown relation 'updtes' (did you mean updates?): expected one of "
            "same, updates, contradicts"
        ),
        f"bad.yml:{first}: links[2]: the other claim is missing: give it as claim: ID, or as source and text",
        f"bad.yml:{first}: links[3]: give the other claim either as claim: ID or as source and text, not both",
        f"bad.yml:{first}: links[4].colour: unknown field",
        f"bad.yml:{first}: links[4].relation: the relation is missing: same, updates or contradicts",
        f"bad.yml:{first}: links[4].claim: a claim id is a whole number, not 'two'",
        f"bad.yml:{first}: links[5]: must be a mapping of relation and claim, or of relation, source and text",
        f"bad.yml:{third}: links: must be a list of {{relation, claim}} or {{relation, source, text}}",
        f"bad.yml:{fourth}: links[1].source: unknown source key 'nowhere' (not in any sources section)",
        # a valid record's links are checked once the claims are: the third claim is in the file, not written
        (
            f"bad.yml:{second}: links[1]: no claim 'Not anywhere' in source 'Later story', neither in the file nor in "
            "the database"
        ),
        f"bad.yml:{second}: links[2]: a claim cannot be linked to itself",
        f"bad.yml:{second}: links[3].claim: no claim 999 in the database",
    ]
    assert snapshot(rich_db) == before


VALID_BAD_LINKS = """\
sources:
  - {key: hexa, title: Later story}
claims:
  - source: hexa
    text: Second claim.
    links:
      - {relation: same, source: hexa, text: Not anywhere}
      - {relation: same, source: hexa, text: second claim}
      - {relation: same, claim: 999}
      - {relation: updates, source: hexa, text: Third claim}
  - source: hexa
    text: Third claim.
    links: [{relation: contradicts, source: hexa, text: Second claim}]
"""


def test_links_of_valid_records_are_checked_once_written(rich_db, tmp_path):
    before = snapshot(rich_db)
    with open_db(rich_db) as db, pytest.raises(InvalidRecords) as e:
        import_path(db, write(tmp_path, "bad.yml", VALID_BAD_LINKS))
    assert [str(p) for p in e.value.problems] == [
        "bad.yml:4: links[1]: no claim 'Not anywhere' in source 'Later story', neither in the file nor in the database",
        "bad.yml:4: links[2]: a claim cannot be linked to itself",
        "bad.yml:4: links[3].claim: no claim 999 in the database",
        "bad.yml:11: links[1]: the file already links claims 22 and 21 otherwise, at bad.yml:4",
    ]
    assert snapshot(rich_db) == before


def test_csv_links_are_a_json_list(db_path, tmp_path):
    header = ",".join(CSV_COLUMNS)
    row = 'Claim one,,,,,,,,Story,,,,,Seoul,,,,,,,"[{""relation"": ""same"", ""claim"": 1}"'
    with open_db(db_path) as db, pytest.raises(InvalidRecords) as e:
        import_path(db, write(tmp_path, "claims.csv", f"{header}\n{row}\n"), create_actors=True)
    assert [str(p) for p in e.value.problems] == [
        "claims.csv:2: links: invalid JSON (Expecting ',' delimiter, character 34): write a JSON list"
    ]


def test_a_record_sent_to_another_process_keeps_its_links():
    from claims.records import ClaimRecord, clean_record

    record, problems = clean_record(
        {
            "text": "x",
            "source": {"title": "S"},
            "links": [
                {"relation": "update", "source": {"title": "T"}, "text": "y", "reason": "Newer"},
                {"relation": "same", "claim": "3"},
            ],
        },
        "x.jsonl:1",
    )
    assert problems == []
    assert [(link.relation, link.claim_id, link.text, link.reason) for link in record.links] == [
        ("updates", None, "y", "Newer"),
        ("same", 3, None, None),
    ]
    assert ClaimRecord.from_values(record.values()) == record


# Sources kept as evidence: their texts and the claims' spans, in and out


from claims.evidence import SourceText  # noqa: E402


def export_with_texts(db, suffix):
    from claims.io.writers import source_declarations

    out = io.StringIO()
    if suffix == ".yml":
        write_yaml(db, out)
    else:
        write_jsonl(iter_claims(db), out, actor_records(db), source_declarations(db))
    return out.getvalue()


@pytest.mark.parametrize("suffix", [".yml", ".jsonl"])
def test_source_texts_and_spans_survive_export_and_import(db, kept, tmp_path, suffix):
    from claims.registry import keep_source

    model.add_source(db, "A source no claim names yet", outlet="ATS", text=SourceText("Kept, not yet read.\n"))
    keep_source(db, kept["source"], archive_url="https://web.archive.org/web/2025/https://example.org/ats-kim")
    first = export_with_texts(db, suffix)
    copy = tmp_path / f"copy{suffix}.db"
    open_db(copy, create=True).close()
    path = tmp_path / f"export{suffix}"
    path.write_text(first, encoding="utf-8")
    with open_db(copy) as restored:
        summary = import_path(restored, path)
        assert summary.texts == 2 and summary.added == len(kept) - 1, summary.describe()
        assert export_with_texts(restored, suffix) == first
        assert check(restored) == []
        columns = "source_id, body, body_sha256, stored_at, html_zlib is not null"
        texts = [tuple(row) for row in db.execute(f"select {columns} from source_texts order by source_id")]
        copied = [tuple(row) for row in restored.execute(f"select {columns} from source_texts order by source_id")]
        if suffix == ".yml":  # YAML leaves the pages out
            assert copied == [(*row[:4], False) for row in texts]
        else:
            assert copied == texts
            pages = "select html_zlib from source_texts order by source_id"
            assert restored.execute(pages).fetchall() == db.execute(pages).fetchall()
        spans = "select text, span_start, span_end from claims order by id"
        assert restored.execute(spans).fetchall() == db.execute(spans).fetchall()
        archived = "https://web.archive.org/web/2025/https://example.org/ats-kim"
        assert restored["sources"].get(1)["archive_url"] == archived
    if suffix == ".yml":
        assert "  body: |-\n    Séoul, 30 août (ATS)" in first, "the text reads as it is stored, line for line"
        assert "html_zlib" not in first
    else:
        declared = [json.loads(line)["source"] for line in first.splitlines() if line.startswith('{"source"')]
        titles = ["Kim réconforte les familles", "A source no claim names yet"]
        assert [source["title"] for source in declared] == titles
        assert "html_zlib" in declared[0] and "html_zlib" not in declared[1]
    with open_db(copy) as restored:
        again = import_path(restored, path)
    assert (again.added, again.texts, again.unchanged) == (0, 0, len(kept) - 1), "importing it twice adds nothing"


def kept_document(db):
    import yaml

    out = io.StringIO()
    write_yaml(db, out)
    return yaml.safe_load(out.getvalue())


def write_document(tmp_path, document, name="edited.yml"):
    import yaml

    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_text_changed_since_it_was_stored_is_refused_by_its_sha256(db, kept, tmp_path):
    document = kept_document(db)
    document["sources"][0]["body"] = document["sources"][0]["body"].replace("600", "6 000")
    fresh = tmp_path / "fresh.db"
    open_db(fresh, create=True).close()
    with open_db(fresh) as other, pytest.raises(InvalidRecords) as e:
        import_path(other, write_document(tmp_path, document))
    assert {p.field for p in e.value.problems} == {"source.body_sha256"}
    assert "is not the SHA-256 of the body: the text was changed since it was stored" in str(e.value.problems[0])


def test_an_import_refuses_another_text_for_a_source_that_keeps_one(db, kept, tmp_path):
    document = kept_document(db)
    source = document["sources"][0]
    source["body"] = source["body"].replace("600", "6 000")
    del source["body_sha256"], source["stored_at"]
    for claim in document["claims"]:
        claim.pop("span", None)
    state = "select (select group_concat(body_sha256) from source_texts), (select count(*) from source_changes)"
    before = db.execute(state).fetchone()
    with pytest.raises(InvalidRecords) as e:
        import_path(db, write_document(tmp_path, document))
    assert {p.field for p in e.value.problems} == {"source.body"}
    assert f"source {kept['source']} already keeps a different text" in str(e.value.problems[0])
    assert db.execute(state).fetchone() == before


def test_a_span_a_file_gives_is_kept_if_it_is_where_the_text_is_else_refused(db, kept, tmp_path):
    document = kept_document(db)
    monument = "Le dirigeant a promis un monument, a rapporté KCNA."
    [record] = [claim for claim in document["claims"] if claim["text"] == monument]
    start, end = record["span"]
    fresh = tmp_path / "fresh.db"
    open_db(fresh, create=True).close()
    record["span"] = [start + 1, end]
    with open_db(fresh) as other, pytest.raises(InvalidRecords) as e:
        import_path(other, write_document(tmp_path, document))
    assert [(p.field, p.message) for p in e.value.problems] == [
        ("span", f"characters {start + 1}-{end} of the source's stored text are not the claim's text")
    ]
    record["span"] = "near the end"
    with open_db(fresh) as other, pytest.raises(InvalidRecords) as e:
        import_path(other, write_document(tmp_path, document))
    assert e.value.problems[0].field == "span" and "a span is [start, end]" in e.value.problems[0].message
    del record["span"]
    with open_db(fresh) as other:
        import_path(other, write_document(tmp_path, document))
        assert other.execute("select span_start, span_end from claims where text = ?", [record["text"]]).fetchone() == (
            start,
            end,
        ), "a span left out is found"


def test_a_yaml_source_no_claim_names_is_recorded_with_its_text(tmp_path, db):
    path = tmp_path / "sources.yml"
    path.write_text(
        "sources:\n- key: wire\n  title: A wire story\n  outlet: ATS\n  archive_url: https://perma.cc/AB12\n"
        "  body: |\n    First paragraph.\n\n    Second paragraph.\n",
        encoding="utf-8",
    )
    summary = import_path(db, path)
    assert (summary.sources, summary.texts) == (1, 1)
    assert db["sources"].get(1)["archive_url"] == "https://perma.cc/AB12"
    assert db["source_texts"].get(1)["body"] == "First paragraph.\n\nSecond paragraph.\n"
    lone_digest = "sources:\n- key: wire\n  title: A wire story\n  body_sha256: '" + "0" * 64 + "'\n"
    path.write_text(lone_digest, encoding="utf-8")
    with pytest.raises(InvalidRecords) as e:
        import_path(db, path)
    assert [str(p) for p in e.value.problems] == [
        "sources.yml:2: source.body_sha256: given without the body it belongs to"
    ]


def test_a_json_lines_source_declaration_carries_its_text(tmp_path, db):
    path = tmp_path / "sources.jsonl"
    lines = [
        {"source": {"title": "Wire", "body": "Selon Séoul, 600 soldats ont été tués.", "html_zlib": "not base64!"}},
        {"source": {"title": "No text"}},  # no body: a claim record without its text, as before
    ]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(InvalidRecords) as e:
        import_path(db, path)
    assert [str(p) for p in e.value.problems] == [
        "sources.jsonl:1: source.html_zlib: html_zlib is not base64 of zlib-compressed HTML",
        "sources.jsonl:2: text: claim text is empty",
    ]
    assert db["sources"].count == 0
