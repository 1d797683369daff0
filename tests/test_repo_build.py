"""claims build and the incremental import of a folder (claims/repo_build.py): a claims repository into a database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import database_bytes

from claims.db import open_db
from claims.io.repo_build import build, import_folder, yaml_files
from claims.maintenance import counts_path

ACTORS = """actors:
  - {name: Seoul, kind: government, country: KR}
  - {name: Pyongyang, kind: government, country: KP}
  - {name: ATS, kind: media}
"""
ARTICLE_A = """sources:
  - {key: ats-2025-08-30, title: "Kim Jong Un comforts families", outlet: ATS, published: 2025-08-30}
claims:
  - source: ats-2025-08-30
    text: "About 600 North Korean soldiers were killed, according to Seoul."
    asserted_by: [Seoul]
    not_confirmed_by: [Pyongyang]
    figures: ["killed=~600"]
  - source: ats-2025-08-30
    text: "Pyongyang sent more than 10,000 soldiers to Kursk."
    asserted_by: [Seoul]
"""
TEXT_600 = "About 600 North Korean soldiers were killed, according to Seoul."
ARTICLE_B = """sources:
  - {key: ats-2025-09-24, title: "Seoul now says 2,000 were killed", outlet: ATS, published: 2025-09-24}
claims:
  - source: ats-2025-09-24
    text: "About 2,000 North Korean soldiers have been killed."
    asserted_by: [Seoul]
"""


def write(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def repository(tmp_path):
    """A claims repository of three files: actors.yml and one file per article under sources/."""
    return write(
        tmp_path / "claims", {"actors.yml": ACTORS, "sources/ats-a.yml": ARTICLE_A, "sources/ats-b.yml": ARTICLE_B}
    )


@pytest.fixture
def output(tmp_path):
    return tmp_path / "site" / "claims.db"


def texts(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("select text from claims")}


def test_yaml_files_are_found_in_subfolders_but_not_hidden_ones(repository):
    write(repository, {".git/info.yml": "x: 1", "notes.txt": "not claims"})
    assert yaml_files(repository) == ["actors.yml", "sources/ats-a.yml", "sources/ats-b.yml"]


def test_fresh_build_imports_checks_and_writes_row_counts(repository, output):
    result = build(repository, output)
    assert result.full and result.checked
    assert result.claims == 3 and result.folder.read == yaml_files(repository)
    counts = json.loads(counts_path(output).read_text())
    assert counts["claims"]["file"] == "claims.db"
    assert counts["claims"]["tables"]["claims"] == {"count": 3}
    assert counts["claims"]["tables"]["claims_fts"] == {"count": 3}  # counted through its _docsize table
    assert counts["claims"]["size"] == output.stat().st_size
    with sqlite3.connect(output) as conn:
        assert conn.execute("pragma journal_mode").fetchone()[0] == "delete"  # one file, to serve immutable
    assert sorted(p.name for p in output.parent.iterdir()) == ["claims.db", "claims.inspect.json"]


def test_incremental_build_reads_only_the_changed_file(repository, output):
    build(repository, output)
    (repository / "sources/ats-b.yml").write_text(
        ARTICLE_B
        + '  - source: ats-2025-09-24\n    text: "Seoul says the toll is rising."\n    asserted_by: [Seoul]\n',
        encoding="utf-8",
    )
    result = build(repository, output)
    assert not result.full
    assert result.folder.read == ["sources/ats-b.yml"] and result.folder.skipped == 2
    assert result.folder.summary.added == 1
    assert "Seoul says the toll is rising." in texts(output)
    assert json.loads(counts_path(output).read_text())["claims"]["tables"]["claims"] == {"count": 4}


def test_a_changed_files_unchanged_claims_are_not_written_again(repository, output):
    """A one-line change of a file of many claims writes that claim only: the others are known by their digest."""
    build(repository, output)
    with open_db(output) as db:
        before = {row["text"]: row["updated_at"] for row in db["claims"].rows}
    edited = ARTICLE_A.replace('figures: ["killed=~600"]', 'figures: ["killed=~650"]')
    (repository / "sources/ats-a.yml").write_text(edited, encoding="utf-8")
    result = build(repository, output)
    assert not result.full and result.folder.read == ["sources/ats-a.yml"]
    assert (result.folder.summary.updated, result.folder.summary.unchanged) == (1, 1)
    assert list(result.folder.summary.claim_at) == ["ats-a.yml:4"]  # the one record written, of the file's two
    with open_db(output) as db:
        rows = {row["text"]: row for row in db["claims"].rows}
        figures = [row["low"] for row in db["figures"].rows_where("claim_id = ?", [rows[TEXT_600]["id"]])]
    assert figures == [650]
    kept = "Pyongyang sent more than 10,000 soldiers to Kursk."
    assert rows[kept]["updated_at"] == before[kept]  # not written again
    # and the next change of the claim left alone is still applied: the digests were kept for it too
    (repository / "sources/ats-a.yml").write_text(edited.replace("to Kursk.", "to Kursk region."), encoding="utf-8")
    result = build(repository, output)
    assert "Pyongyang sent more than 10,000 soldiers to Kursk region." in texts(output)
    assert kept not in texts(output)  # the old text is no file's: purged


def test_nothing_changed_reads_nothing(repository, output):
    build(repository, output)
    before = database_bytes(output)
    result = build(repository, output)
    assert not result.full and result.folder.read == [] and result.folder.skipped == 3
    assert database_bytes(output)["claims.db"] == before["claims.db"]


def test_a_changed_file_may_name_a_source_an_unchanged_file_declares(repository, output):
    """Source keys are the repository's: a claim (or link) in one file names a source declared in another."""
    build(repository, output)
    (repository / "sources/ats-b.yml").write_text(
        ARTICLE_B + "    links:\n      - {relation: updates, source: ats-2025-08-30, "
        'text: "About 600 North Korean soldiers were killed, according to Seoul."}\n',
        encoding="utf-8",
    )
    result = build(repository, output)
    assert not result.full and result.folder.read == ["sources/ats-b.yml"]
    with sqlite3.connect(output) as conn:
        assert conn.execute("select count(*) from claim_links where relation = 'updates'").fetchone()[0] == 1


def test_a_claim_removed_from_a_file_is_purged_by_an_incremental_build(repository, output):
    build(repository, output)
    (repository / "sources/ats-a.yml").write_text(
        ARTICLE_A.split('  - source: ats-2025-08-30\n    text: "Pyongyang')[0]
    )
    result = build(repository, output, check=True)  # check: the purge left everything derived in line
    assert not result.full and result.folder.purged == [2]
    assert "Pyongyang sent more than 10,000 soldiers to Kursk." not in texts(output)
    assert len(texts(output)) == 2
    with sqlite3.connect(output) as conn:
        assert conn.execute("select claim_id, reason from purges").fetchall() == [
            (2, "No longer in the claims repository claims/ (claims build)")
        ]


def test_a_claim_whose_text_was_edited_is_replaced(repository, output):
    build(repository, output)
    (repository / "sources/ats-a.yml").write_text(ARTICLE_A.replace("to Kursk.", "to the Kursk region."))
    result = build(repository, output, check=True)
    assert not result.full and result.folder.summary.added == 1 and len(result.folder.purged) == 1
    assert "Pyongyang sent more than 10,000 soldiers to the Kursk region." in texts(output) and len(texts(output)) == 3


def test_a_claim_moved_to_another_file_is_not_stale(repository, output):
    build(repository, output)
    moved = '  - source: ats-2025-08-30\n    text: "Pyongyang sent more than 10,000 soldiers to Kursk."\n'
    (repository / "sources/ats-a.yml").write_text(ARTICLE_A.replace(moved + "    asserted_by: [Seoul]\n", ""))
    (repository / "sources/ats-b.yml").write_text(ARTICLE_B + moved + "    asserted_by: [Seoul]\n")
    result = build(repository, output)
    assert not result.full and len(texts(output)) == 3


def test_a_removed_file_makes_the_build_fresh(repository, output):
    build(repository, output)
    (repository / "sources/ats-b.yml").unlink()
    result = build(repository, output)
    assert result.full and "removed since the last build" in result.reason
    assert texts(output) == {
        "About 600 North Korean soldiers were killed, according to Seoul.",
        "Pyongyang sent more than 10,000 soldiers to Kursk.",
    }


def test_a_party_removed_from_a_claim_goes_in_an_incremental_build(repository, output):
    build(repository, output)
    (repository / "sources/ats-a.yml").write_text(ARTICLE_A.replace("    not_confirmed_by: [Pyongyang]\n", ""))
    result = build(repository, output)
    assert not result.full
    with sqlite3.connect(output) as conn:
        assert conn.execute("select count(*) from attributions where role = 'not-confirmed'").fetchone()[0] == 0


def test_an_actor_removed_from_the_actors_file_makes_the_build_fresh(repository, output):
    write(repository, {"actors.yml": ACTORS + "  - {name: Typo Ministry, kind: government}\n"})
    build(repository, output)
    write(repository, {"actors.yml": ACTORS})
    result = build(repository, output)
    assert result.full and "1 actors" in result.reason
    with sqlite3.connect(output) as conn:
        assert conn.execute("select count(*) from actors where name = 'Typo Ministry'").fetchone()[0] == 0


def test_rewritten_history_makes_the_build_fresh(repository, output):
    """History is append-only in a database; a repository may rewrite it, and a fresh build then follows the files."""
    history = "    changes:\n      - {status: corroborated, reason: NIS briefing, date: 2025-09-25}\n"
    write(repository, {"sources/ats-b.yml": ARTICLE_B + history})
    build(repository, output)
    write(repository, {"sources/ats-b.yml": ARTICLE_B + history.replace("corroborated", "confirmed")})
    result = build(repository, output)
    assert result.full and "cannot be applied to the last build" in result.reason
    with sqlite3.connect(output) as conn:
        assert conn.execute("select to_status from status_changes order by id desc").fetchone()[0] == "confirmed"


def test_failed_build_leaves_the_earlier_output_as_it_was(repository, output, cli):
    cli("build", repository, "-o", output)
    before = database_bytes(output), counts_path(output).read_bytes()
    (repository / "sources/ats-b.yml").unlink()  # a fresh build, then
    write(repository, {"sources/ats-a.yml": ARTICLE_A.replace('figures: ["killed=~600"]', 'figures: ["killed=25 00"]')})
    result = cli("build", repository, "-o", output)
    assert result.exit_code == 1
    assert "Error: 1 invalid record in claims" in result.output
    assert "ats-a.yml:" in result.output and "Traceback" not in result.output
    assert (database_bytes(output), counts_path(output).read_bytes()) == before
    assert sorted(p.name for p in output.parent.iterdir()) == ["claims.db", "claims.inspect.json"]  # no temporary file


def test_conflict_markers_are_refused_with_file_and_line(repository, output, cli):
    write(
        repository, {"sources/ats-b.yml": ARTICLE_B.replace("claims:\n", "<<<<<<< HEAD\nclaims:\n=======\n>>>>>>> b\n")}
    )
    result = cli("build", repository, "-o", output)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ats-b.yml:") and len(result.output.strip().splitlines()) == 1
    assert not output.exists()


def test_build_of_a_file_that_is_not_a_claims_database_is_refused(repository, output, cli):
    output.parent.mkdir()
    output.write_bytes(b"not a database")
    result = cli("build", repository, "-o", output)
    assert result.exit_code == 1 and "is not a SQLite database" in result.output
    assert output.read_bytes() == b"not a database"


def test_build_command_says_how_it_built(repository, output, cli):
    first = cli("build", repository, "-o", output)
    assert first.exit_code == 0, first.output
    assert "afresh (no earlier build" in first.output and "3 claims, checked" in first.output
    second = cli("build", repository, "-o", output, "--check")
    assert "incrementally" in second.output and "0 files read, 3 unchanged skipped" in second.output
    assert "3 claims, checked" in second.output
    again = cli("build", repository, "-o", output, "--all-files")
    assert "afresh (--all-files)" in again.output


def test_import_of_a_folder_skips_unchanged_files(repository, db_path, cli):
    first = cli("import", repository, db=db_path)
    assert first.exit_code == 0, first.output
    assert "3 files read, 0 unchanged skipped" in first.output
    write(repository, {"sources/ats-b.yml": ARTICLE_B.replace("2,000", "2,100")})
    second = cli("import", repository, db=db_path)
    assert "1 file read, 2 unchanged skipped" in second.output and "1 claims added" in second.output
    assert "1 claims recorded from files since changed or removed are in no file now" in second.output
    all_files = cli("import", repository, "--all-files", db=db_path)
    assert "3 files read, 0 unchanged skipped" in all_files.output


def test_import_keeps_what_a_removed_file_recorded_and_says_so(repository, db_path):
    db = open_db(db_path)
    import_folder(db, repository)
    (repository / "sources/ats-b.yml").unlink()
    result = import_folder(db, repository)
    assert result.missing == ["sources/ats-b.yml"]
    assert db["claims"].count == 3  # an import keeps what it does not mention
    assert any("sources/ats-b.yml was imported before" in note for note in result.stale_notes())
    assert [row["path"] for row in db["imported_files"].rows] == ["actors.yml", "sources/ats-a.yml"]


def test_a_refused_folder_import_records_no_file(repository, db_path):
    db = open_db(db_path)
    write(repository, {"sources/ats-b.yml": ARTICLE_B.replace("[Seoul]", "[Nobody]")})
    from claims.records import InvalidRecords

    with pytest.raises(InvalidRecords):
        import_folder(db, repository)
    assert db["imported_files"].count == 0 and db["claims"].count == 0


def test_files_with_rejected_records_are_read_again(repository, db_path):
    db = open_db(db_path)
    write(repository, {"sources/ats-b.yml": ARTICLE_B.replace("[Seoul]", "[Nobody]")})
    import_folder(db, repository, skip_invalid=True)
    assert [row["path"] for row in db["imported_files"].rows] == ["actors.yml", "sources/ats-a.yml"]
    write(repository, {"actors.yml": ACTORS + "  - {name: Nobody, kind: person}\n"})
    result = import_folder(db, repository)
    assert result.read == ["actors.yml", "sources/ats-b.yml"] and result.summary.added == 1


def test_build_and_publish_have_help_with_an_example(cli):
    for command in ("build", "publish"):
        result = cli(command, "--help")
        assert result.exit_code == 0 and "Example: claims " + command in result.output, command


def test_the_readme_build_and_publish_block_runs(tmp_path, repository, cli, monkeypatch):
    """README's "Build and publish": both builds, then the dry run, as written (site/ in a temporary folder)."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("### Build and publish", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line.split("#")[0].split() for line in block.splitlines() if line.strip()]
    runnable = [words for words in lines if words[1] == "build" or "--dry-run" in words]
    assert len(runnable) == 3
    monkeypatch.chdir(tmp_path)
    outputs = [cli(*words[1:]) for words in runnable]
    assert all(result.exit_code == 0 for result in outputs), [r.output for r in outputs]
    assert "afresh" in outputs[0].output and "incrementally" in outputs[1].output
    assert "datasette publish cloudrun claims.db" in outputs[2].stdout
