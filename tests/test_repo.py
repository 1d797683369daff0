"""A claims repository: the folder layout, its round trip, the merge driver, and two desks merging with real git."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import database_bytes

import claims
from claims import model
from claims.db import open_db
from claims.io.imports import import_path
from claims.io.readers import conflict_marker
from claims.io.repo import FIELD_ORDER, ITEM_FIELD_ORDER, folder_documents, source_key
from claims.io.repo_merge import Unmergeable, merge_texts
from claims.io.writers import yaml_document
from claims.values import parse_figure

CODE_ROOT = Path(claims.__file__).resolve().parent.parent


# File names


def test_a_source_file_is_named_from_its_identity_alone():
    wire = {"title": "Kim réconforte les familles", "outlet": "ATS", "published": "2025-08-30"}
    assert source_key(wire) == source_key(dict(wire, language="fr", archive_url="https://archive.org/x"))
    assert source_key(wire).startswith("ats-2025-08-30-kim-reconforte-les-familles-")
    linked = {"title": "Seoul: 600 killed", "url": "https://www.example.org/yonhap/600", "outlet": "Yonhap"}
    assert source_key(linked) == source_key(dict(linked, title="Seoul: 600 soldiers killed", outlet="Yonhap News"))
    assert source_key(linked).startswith("example-org-yonhap-600-")


def test_source_file_names_never_collide():
    same_words = [
        {"title": "Seoul: 600 killed", "outlet": "AFP", "published": "2025-08-30"},
        {"title": "Seoul 600 killed!", "outlet": "AFP", "published": "2025-08-30"},  # the same slug
        {"title": "seoul: 600 killed", "outlet": "AFP", "published": "2025-08-30"},  # differs in case only
        {"url": "https://example.org/a?id=1"},
        {"url": "https://example.org/a?id=2"},
    ]
    keys = [source_key(source) for source in same_words]
    assert len(set(keys)) == len(keys)
    assert len({key.lower() for key in keys}) == len(keys)  # also on a file system that ignores case


@pytest.mark.parametrize(
    "title",
    [
        "../x",
        "../../etc/passwd",
        "/absolute",
        "CON",
        "nul.txt",
        'a\\b:c*d?e"f<g>h|i',
        "조선중앙통신 보도",
        ".hidden",
        " ",
        "é" * 300,
        "x" * 500,
        "\u202etxt.exe",
    ],
)
def test_source_file_names_are_safe_on_every_file_system(title):
    key = source_key({"title": title, "outlet": None, "published": None})
    stem, digest = key.rsplit("-", 1)
    assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in key), key
    assert stem and not stem.startswith("-") and "--" not in key and len(digest) == 12
    assert len(key) <= 61
    assert key not in ("con", "nul", "prn", "aux", "source")  # never a reserved device name, never only a slug


# The folder layout and its round trip


@pytest.fixture
def rich_db_path(tmp_path):
    """A database with every kind of content a file holds: linked reports, history, stances with sources and
    dates, a source that keeps its text, claims with spans."""
    from conftest import KEPT_BODY, add_linked_reports

    from claims.evidence import SourceText
    from claims.io.bundle import load_seed_article

    path = tmp_path / "rich.db"
    with open_db(path, create=True) as db:
        load_seed_article(db)
        add_linked_reports(db)
        kept = model.add_source(
            db,
            "Kim réconforte les familles",
            url="https://example.org/ats-kim",
            outlet="ATS",
            published="2025-08-30",
            language="fr",
            text=SourceText(KEPT_BODY, None),
        )
        model.add_claim(
            db,
            "Le dirigeant a promis un monument, a rapporté KCNA.",
            source=kept,
            parties=[("KCNA", "relays"), ("Seoul", "asserts")],
        )
        model.add_claim(
            db,
            "Selon Séoul, environ 600 soldats nord-coréens ont été tués.",
            source=kept,
            parties=[("Seoul", "asserts")],
            figures=[parse_figure("killed=~600 soldiers")],
        )
        model.add_source(db, "A source no claim cites", outlet="AFP", published="2025-09-01")
        model.set_status(
            db, 4, "corroborated", reason="NIS briefing", evidence="https://example.org/nis", on="2025-09-01"
        )
        model.add_stance(db, 4, "Pyongyang", "denies", source=kept, on="2025-09-02")
    return path


def test_export_folder_writes_actors_and_one_file_per_source(cli, rich_db_path, tmp_path):
    out = tmp_path / "repo"
    result = cli("export", "--layout", "folder", "-o", out, db=rich_db_path)
    assert result.exit_code == 0, result.output
    assert "Exported 19 claims" in result.stderr
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*.yml"))
    with open_db(rich_db_path) as db:
        sources = [source_key(row) for row in db["sources"].rows]
    assert files == sorted(["actors.yml", *(f"sources/{key}.yml" for key in sources)])
    actors = (out / "actors.yml").read_text()
    assert actors.splitlines()[1] == "actors:" and "claims:" not in actors and "sources:" not in actors
    linked = next(out.glob("sources/example-org-yonhap-*.yml")).read_text()
    assert "relation: same\n    source: ats-2025-08-30-soutien-a-la-russie-" in linked  # by key and text, no id
    assert "claim:" not in linked and " id:" not in linked


def test_export_import_export_changes_no_byte(cli, rich_db_path, tmp_path, db_path):
    first, second = tmp_path / "first", tmp_path / "second"
    assert cli("export", "--layout", "folder", "-o", first, db=rich_db_path).exit_code == 0
    result = cli("import", first, "--no-match", db=db_path)
    assert result.exit_code == 0, result.output
    assert "19 claims added" in result.stderr and "5 links added" in result.stderr
    again = cli("import", first, "--no-match", db=db_path)
    assert "0 files read, 9 unchanged skipped" in again.stderr  # the files' SHA-256 are those imported
    again = cli("import", first, "--no-match", "--all-files", db=db_path)
    assert "0 claims added, 0 updated, 19 unchanged" in again.stderr
    assert cli("export", "--layout", "folder", "-o", second, db=db_path).exit_code == 0
    assert _tree(first) == _tree(second)
    with open_db(db_path) as db:  # what the files hold came back: history, stance, text, span
        claims = [model.get_claim(db, row["id"]) for row in model.list_claims(db)]
        claim = next(claim for claim in claims if claim["history"][-1]["reason"] == "NIS briefing")
        assert [c["to"] for c in claim["history"]] == ["unconfirmed", "corroborated"]
        assert "Pyongyang" in claim["denied_by"]


def _tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_export_again_leaves_unchanged_files_alone_and_removes_those_of_sources_gone(cli, rich_db_path, tmp_path):
    out = tmp_path / "repo"
    cli("export", "--layout", "folder", "-o", out, db=rich_db_path)
    stale = out / "sources" / "gone-0123456789ab.yml"
    stale.write_text("sources: []\n")
    (out / "notes.txt").write_text("not ours")
    for path in out.rglob("*.yml"):
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    with open_db(rich_db_path) as db:
        model.set_status(db, 1, "disputed", reason="A new report", on="2025-09-03")
    result = cli("export", "--layout", "folder", "-o", out, db=rich_db_path)
    assert result.exit_code == 0, result.output
    assert "removed sources/gone-0123456789ab.yml: its source is no longer recorded" in result.stderr
    assert "1 files written" in result.stderr and "1 removed" in result.stderr
    assert not stale.exists() and (out / "notes.txt").exists()
    changed = [p.name for p in out.rglob("*.yml") if p.stat().st_mtime_ns != 1_000_000_000]
    assert len(changed) == 1 and changed[0].startswith("ats-2025-08-30-soutien")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--layout", "folder"], "Error: --layout folder needs the folder to write: -o FOLDER"),
        (
            ["--layout", "folder", "-f", "jsonl", "-o", "x"],
            "Error: --layout folder writes YAML files, not jsonl: use --format yaml",
        ),
    ],
)
def test_export_folder_needs_a_folder_and_yaml(cli, db_path, args, message):
    result = cli("export", *args, db=db_path)
    assert result.exit_code == 1
    assert result.stderr.strip() == message


def test_export_folder_refuses_a_file(cli, db_path, tmp_path):
    target = tmp_path / "claims.yml"
    target.write_text("kept")
    result = cli("export", "--layout", "folder", "-o", target, db=db_path)
    assert result.exit_code == 1 and f"Error: {target} is a file" in result.stderr
    assert target.read_text() == "kept"


def test_files_write_fields_in_the_order_exports_do(rich_db_path):
    with open_db(rich_db_path) as db:
        document = yaml_document(db)
    for section, entries in document.items():
        for entry in entries:
            assert list(entry) == [name for name in FIELD_ORDER[section] if name in entry]
            for name, items in entry.items():
                kind = "parties" if name.endswith("_by") else name
                for item in items if isinstance(items, list) else []:
                    if isinstance(item, dict) and kind in ITEM_FIELD_ORDER:
                        assert list(item) == [f for f in ITEM_FIELD_ORDER[kind] if f in item]


def test_a_folder_import_reads_subfolders_but_not_hidden_ones(tmp_path, db):
    folder = tmp_path / "repo"
    (folder / "sources").mkdir(parents=True)
    (folder / ".github" / "workflows").mkdir(parents=True)
    (folder / ".github" / "workflows" / "build.yml").write_text("on: push\n")  # not a claims file: never read
    (folder / "actors.yml").write_text("actors:\n- {name: Seoul, kind: government}\n")
    (folder / "sources" / "wire.yml").write_text(
        "sources:\n- {key: wire, title: Wire, outlet: AFP, published: '2025-08-30'}\n"
        "claims:\n- {text: Seoul says 600 were killed., asserted_by: [Seoul], source: wire}\n"
    )
    summary = import_path(db, folder)
    assert (summary.added, summary.sources, summary.actors) == (1, 1, 1)


# Conflict markers


def test_import_refuses_a_file_with_git_conflict_markers(cli, rich_db_path, tmp_path):
    out = tmp_path / "repo"
    cli("export", "--layout", "folder", "-o", out, db=rich_db_path)
    path = next(out.glob("sources/ats-2025-08-30-soutien*.yml"))
    lines = path.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  notes:"))
    lines[at : at + 1] = ["<<<<<<< ours\n", lines[at], "=======\n", "  notes: Another note\n", ">>>>>>> theirs\n"]
    path.write_text("".join(lines))
    before = database_bytes(rich_db_path)
    result = cli("import", out, db=rich_db_path)
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {path.name}:{at + 1}: unresolved git conflict marker '<<<<<<< ours': "
        "resolve the conflict (keep one side, or both), remove the markers, then import "
        "again"
    )
    assert database_bytes(rich_db_path) == before


def test_conflict_markers_count_only_at_the_start_of_a_line():
    assert conflict_marker("sources:\n- body: |\n    =======\n    <<<<<<< quoted\n") is None
    assert conflict_marker("a: 1\n=======\n") == (2, "=======")
    assert conflict_marker("a: 1\n>>>>>>> theirs\n") == (2, ">>>>>>> theirs")


# The merge driver on YAML texts

BASE = """\
sources:
- key: wire
  title: Wire
  outlet: AFP
  published: '2025-08-30'
claims:
- text: Kim visited ten countries.
  status: unconfirmed
  source: wire
- text: Seoul says 600 soldiers were killed.
  asserted_by:
  - Seoul
  figures:
  - killed=~600 soldiers
  status: unconfirmed
  source: wire
"""  # in canonical order: claims by text


def _change(status, date, reason="Why"):
    return f"  - status: {status}\n    reason: {reason}\n    date: '{date}'\n"


def _with_changes(text, *changes):
    """`text` with these status changes appended to the claim of Seoul."""
    head, seoul = text.split("- text: Seoul says", 1)
    changed = seoul.replace("  status: unconfirmed\n", "  status: unconfirmed\n  changes:\n" + "".join(changes), 1)
    return f"{head}- text: Seoul says{changed}"


def test_merge_keeps_changes_appended_on_both_sides_in_date_order():
    ours = _with_changes(BASE, _change("corroborated", "2025-09-03"))
    theirs = _with_changes(BASE, _change("disputed", "2025-09-02"))
    merged, conflicts = merge_texts(BASE, ours, theirs)
    assert conflicts == []
    assert _changes(merged) == [("disputed", "2025-09-02"), ("corroborated", "2025-09-03")]
    assert merge_texts(BASE, theirs, ours)[0] == merged  # whichever side merges


def test_merge_keeps_a_change_made_on_both_sides_once():
    both = _with_changes(BASE, _change("corroborated", "2025-09-03"))
    ours = _with_changes(BASE, _change("corroborated", "2025-09-03"), _change("confirmed", "2025-09-05"))
    merged, conflicts = merge_texts(BASE, ours, both)
    assert conflicts == [] and _changes(merged) == [("corroborated", "2025-09-03"), ("confirmed", "2025-09-05")]


def _changes(text):
    import yaml

    claim = next(claim for claim in yaml.safe_load(text)["claims"] if claim["text"].startswith("Seoul says"))
    return [(c["status"], str(c["date"])) for c in claim.get("changes", [])]


def test_merge_keeps_a_stance_added_on_one_side_and_a_figure_corrected_on_the_other():
    ours = BASE.replace("  - Seoul\n  figures:", "  - Seoul\n  denied_by:\n  - Pyongyang\n  figures:")
    theirs = BASE.replace("killed=~600 soldiers", "killed=~2000 soldiers")
    merged, conflicts = merge_texts(BASE, ours, theirs)
    assert conflicts == []
    both = BASE.replace("killed=~600", "killed=~2000").replace("  figures:", "  denied_by:\n  - Pyongyang\n  figures:")
    assert merged.endswith(both)


def test_merge_keeps_claims_and_parties_added_on_both_sides_in_canonical_order():
    claim = "- text: A claim from {}.\n  status: unconfirmed\n  source: wire\n"
    ours = BASE.replace("  - Seoul\n", "  - Seoul\n  - NIS\n") + claim.format("ours")
    theirs = BASE.replace("  - Seoul\n", "  - Seoul\n  - DIA\n") + claim.format("theirs")
    merged, conflicts = merge_texts(BASE, ours, theirs)
    assert conflicts == []
    assert "  asserted_by:\n  - DIA\n  - NIS\n  - Seoul\n" in merged
    texts = [line for line in merged.splitlines() if line.startswith("- text:")]
    assert texts == [
        "- text: A claim from ours.",
        "- text: A claim from theirs.",
        "- text: Kim visited ten countries.",
        "- text: Seoul says 600 soldiers were killed.",
    ]
    assert merge_texts(BASE, theirs, ours)[0] == merged


def test_merge_takes_a_field_changed_on_one_side_and_a_claim_removed_on_one_side():
    ours = BASE.replace("  title: Wire\n", "  title: Wire story\n")
    theirs = BASE.replace("- text: Kim visited ten countries.\n  status: unconfirmed\n  source: wire\n", "")
    merged, conflicts = merge_texts(BASE, ours, theirs)
    assert conflicts == [] and "title: Wire story" in merged and "Kim visited" not in merged


def test_the_same_field_changed_two_ways_is_a_conflict_at_that_field():
    ours = BASE.replace("killed=~600 soldiers", "killed=~700 soldiers").replace("Wire\n", "Wire story\n")
    theirs = BASE.replace("killed=~600 soldiers", "killed=~800 soldiers")
    merged, conflicts = merge_texts(BASE, ours, theirs)
    assert conflicts == ["claim 'Seoul says 600 soldiers were killed.': figures changed two ways"]
    assert (
        "  - Seoul\n<<<<<<< ours\n  figures:\n  - killed=~700 soldiers\n=======\n  figures:\n"
        "  - killed=~800 soldiers\n>>>>>>> theirs\n  status: unconfirmed\n"
    ) in merged
    assert "title: Wire story" in merged  # what merged cleanly is merged


def test_a_claim_changed_on_one_side_and_removed_on_the_other_is_a_conflict():
    ours = BASE.replace("countries.\n  status: unconfirmed\n", "countries.\n  status: false\n")
    theirs = BASE.replace("- text: Kim visited ten countries.\n  status: unconfirmed\n  source: wire\n", "")
    merged, conflicts = merge_texts(BASE, ours, theirs)
    assert conflicts == ["claim 'Kim visited ten countries.': changed on ours, removed on the other side"]
    assert (
        "<<<<<<< ours\n- text: Kim visited ten countries.\n  status: false\n  source: wire\n=======\n>>>>>>> theirs\n"
    ) in merged


def test_merge_of_actors_keeps_aliases_and_actors_added_on_both_sides():
    base = "actors:\n- name: Seoul\n  kind: government\n  aliases:\n  - Séoul\n"
    ours = base + "  - South Korea\n- name: NIS\n  kind: intelligence\n"
    theirs = base.replace("  - Séoul\n", "  - ROK\n") + "- name: KCNA\n  kind: state-media\n"
    merged, conflicts = merge_texts(base, ours, theirs)
    assert conflicts == []
    assert merged.split("\n", 1)[1] == (
        "actors:\n- name: KCNA\n  kind: state-media\n- name: NIS\n  kind: intelligence\n"
        "- name: Seoul\n  kind: government\n  aliases:\n  - ROK\n  - South Korea\n"
    )


def test_merge_of_a_file_added_on_both_sides_has_an_empty_base():
    ours = BASE + "- text: Ours.\n  status: unconfirmed\n  source: wire\n"
    merged, conflicts = merge_texts("", ours, BASE)
    assert conflicts == [] and "- text: Ours." in merged and "- text: Kim visited" in merged


def test_merge_output_is_what_an_export_writes(rich_db_path):
    from claims.io.repo import rendered

    with open_db(rich_db_path) as db:
        files = folder_documents(db)
    for document in files.values():
        text = rendered(document)
        assert merge_texts(text, text, text) == (text, [])
        shuffled = text.replace("  status: unconfirmed\n", "  status: unconfirmed\n  notes: moved up\n", 1)
        merged = merge_texts(text, text, shuffled)[0]
        assert merged == merge_texts(merged, merged, merged)[0]  # a hand-edited file comes out in canonical order


def test_an_unreadable_version_is_not_merged_semantically():
    with pytest.raises(Unmergeable, match=r"ours.yml:2: "):
        merge_texts(BASE, "claims:\n  - text: [unclosed\n", BASE)


# The merge-file command and repo init


def test_merge_file_writes_the_merge_to_ours(cli, tmp_path):
    base, ours, theirs = (tmp_path / name for name in ("base.yml", "ours.yml", "theirs.yml"))
    base.write_text(BASE)
    ours.write_text(_with_changes(BASE, _change("corroborated", "2025-09-03")))
    theirs.write_text(_with_changes(BASE, _change("disputed", "2025-09-02")))
    result = cli("merge-file", base, ours, theirs)
    assert result.exit_code == 0, result.output
    assert _changes(ours.read_text()) == [("disputed", "2025-09-02"), ("corroborated", "2025-09-03")]


def test_merge_file_exits_1_on_a_conflict_or_an_unreadable_file(cli, tmp_path):
    base, ours, theirs = (tmp_path / name for name in ("base.yml", "ours.yml", "theirs.yml"))
    base.write_text(BASE)
    ours.write_text(BASE.replace("Wire\n", "Ours\n"))
    theirs.write_text(BASE.replace("Wire\n", "Theirs\n"))
    result = cli("merge-file", base, ours, theirs)
    assert result.exit_code == 1
    assert "conflict in" in result.stderr and "source wire: title changed two ways" in result.stderr
    assert "<<<<<<< ours\n  title: Ours\n=======\n  title: Theirs\n>>>>>>> theirs\n" in ours.read_text()
    ours.write_text(BASE.replace("Wire\n", "Ours\n").replace("sources:\n", "sources: [unclosed\n"))
    result = cli("merge-file", base, ours, theirs)
    assert result.exit_code == 1 and "ours.yml:1: " in result.stderr and "merged line by line" in result.stderr
    lines = "sources: [unclosed\n- key: wire\n<<<<<<< ours\n  title: Ours\n=======\n  title: Theirs\n>>>>>>> theirs\n"
    assert lines in ours.read_text()  # git merge-file's merge


def test_repo_init_sets_up_git_once(cli, tmp_path):
    folder = tmp_path / "newsroom"
    result = cli("repo", "init", folder)
    assert result.exit_code == 0, result.output
    assert "initialised a git repository" in result.stderr and "set merge.claims.driver" in result.stderr
    assert (folder / ".gitattributes").read_text() == "actors.yml merge=claims\nsources/*.yml merge=claims\n"
    assert "*.db\n" in (folder / ".gitignore").read_text() and (folder / "README.md").exists()
    driver = _git(folder, "config", "merge.claims.driver").stdout.strip()
    assert driver.endswith(" merge-file %O %A %B %P") and sys.executable in driver
    again = cli("repo", "init", folder)
    assert again.exit_code == 0 and again.stderr.strip() == f"{folder}: claims repository ready (nothing to do)"
    assert _git(folder, "check-attr", "merge", "sources/x.yml").stdout.strip() == "sources/x.yml: merge: claims"
    assert _git(folder, "check-attr", "merge", ".github/workflows/ci.yml").stdout.strip().endswith("unspecified")


# Two desks, real git


def _git(folder, *args, check=True):
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(CODE_ROOT), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, env=env, check=False)
    if check and result.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {result.stdout}{result.stderr}")
    return result


class Desk:
    """A clone of the claims repository with its own database, as one desk works."""

    def __init__(self, cli, folder: Path, origin: Path | None = None):
        self.cli, self.folder, self.db_path = cli, folder, folder.parent / f"{folder.name}.db"
        if origin is not None:
            _git(folder.parent, "clone", "--quiet", str(origin), folder.name)
        assert cli("repo", "init", folder).exit_code == 0  # a clone does not carry the merge driver's config
        _git(folder, "config", "user.name", folder.name)
        _git(folder, "config", "user.email", f"{folder.name}@example.org")
        assert cli("init", db=self.db_path).exit_code == 0
        if origin is not None:
            self.import_()

    def import_(self, *args):
        result = self.cli("import", self.folder, "--no-match", *args, db=self.db_path)
        assert result.exit_code == 0, result.output
        return result

    def db(self):
        return open_db(self.db_path)

    def commit(self, message: str) -> None:
        result = self.cli("export", "--layout", "folder", "-o", self.folder, db=self.db_path)
        assert result.exit_code == 0, result.output
        _git(self.folder, "add", "-A")
        _git(self.folder, "commit", "--quiet", "-m", message)

    def merge(self, other: "Desk"):
        _git(self.folder, "fetch", "--quiet", str(other.folder), "HEAD")
        return _git(self.folder, "merge", "--no-edit", "FETCH_HEAD", check=False)


ARTICLE_Y = "Seoul says about 600 North Korean soldiers were killed."


@pytest.fixture
def desks(cli, tmp_path):
    """The repository with article Y (one claim, asserted by Seoul), and two desks that cloned it."""
    origin = Desk(cli, tmp_path / "origin")
    with origin.db() as db:
        model.add_actor(db, "Seoul", kind="government", country="KR")
        model.add_actor(db, "Pyongyang", kind="government", country="KP")
        source = model.add_source(db, "Article Y", outlet="Yonhap", published="2025-08-30", language="en")
        model.add_claim(
            db, ARTICLE_Y, source=source, parties=[("Seoul", "asserts")], figures=[parse_figure("killed=~600 soldiers")]
        )
    origin.commit("Article Y")
    return Desk(cli, tmp_path / "a", origin.folder), Desk(cli, tmp_path / "b", origin.folder)


def _claim(db, text):
    return model.get_claim(db, next(row["id"] for row in model.list_claims(db) if row["text"] == text))


def _article(desk: Desk, title: str, outlet: str, texts: list[str], actor: tuple[str, str]) -> None:
    with desk.db() as db:
        model.add_actor(db, actor[0], kind=actor[1])
        source = model.add_source(db, title, outlet=outlet, published="2025-09-01")
        for text in texts:
            model.add_claim(db, text, source=source, parties=[(actor[0], "asserts")])


def _fresh_build(desk: Desk, tmp_path: Path):
    path = tmp_path / f"build-{desk.folder.name}.db"
    open_db(path, create=True).close()
    assert desk.cli("import", desk.folder, "--no-match", db=path).exit_code == 0
    return open_db(path)


def test_two_desks_recording_different_articles_merge_cleanly(desks, tmp_path):
    a, b = desks
    _article(
        a, "Article X", "AFP", ["NIS says 2,000 were wounded.", "NIS says troops were sent."], ("NIS", "intelligence")
    )
    a.commit("Article X")
    _article(b, "Article Z", "KCNA", ["KCNA calls the reports a fabrication."], ("KCNA", "state-media"))
    b.commit("Article Z")
    merge = a.merge(b)
    assert merge.returncode == 0, merge.stdout + merge.stderr  # actors.yml changed on both sides: merged by claims
    a.import_()
    for db in (a.db(), _fresh_build(a, tmp_path)):
        with db:
            texts = {row["text"] for row in model.list_claims(db)}
            assert texts == {
                ARTICLE_Y,
                "NIS says 2,000 were wounded.",
                "NIS says troops were sent.",
                "KCNA calls the reports a fabrication.",
            }
            assert {actor["name"] for actor in model.list_actors(db)} == {"Seoul", "Pyongyang", "NIS", "KCNA"}
    assert a.cli("export", "--layout", "folder", "-o", a.folder, db=a.db_path).exit_code == 0
    assert _git(a.folder, "status", "--porcelain").stdout == ""  # the merge wrote what an export writes


def test_status_changes_appended_on_both_desks_are_all_kept_in_date_order(desks, tmp_path):
    a, b = desks
    _article(a, "Article X", "AFP", ["NIS says 2,000 were wounded."], ("NIS", "intelligence"))
    with a.db() as db:
        model.set_status(db, _claim(db, ARTICLE_Y)["id"], "corroborated", reason="NIS briefing", on="2025-09-02")
    a.commit("Article X; Y corroborated")
    _article(b, "Article Z", "KCNA", ["KCNA calls the reports a fabrication."], ("KCNA", "state-media"))
    with b.db() as db:
        model.set_status(db, _claim(db, ARTICLE_Y)["id"], "disputed", reason="KCNA denial", on="2025-09-03")
    b.commit("Article Z; Y disputed")
    merge = a.merge(b)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    a.import_()
    for db in (a.db(), _fresh_build(a, tmp_path)):
        with db:
            claim = _claim(db, ARTICLE_Y)
            assert [(c["to"], c["on"]) for c in claim["history"]] == [
                ("unconfirmed", "2025-08-30"),
                ("corroborated", "2025-09-02"),
                ("disputed", "2025-09-03"),
            ]
            assert claim["status"] == "disputed"
            assert db["claims"].count == 3


def test_a_desk_whose_history_holds_a_later_change_is_told_to_build_afresh(desks, tmp_path):
    """Desk B recorded its change after desk A's date: its append-only history cannot take A's before it."""
    a, b = desks
    with a.db() as db:
        model.set_status(db, _claim(db, ARTICLE_Y)["id"], "corroborated", reason="NIS briefing", on="2025-09-02")
    a.commit("Y corroborated")
    with b.db() as db:
        model.set_status(db, _claim(db, ARTICLE_Y)["id"], "disputed", reason="KCNA denial", on="2025-09-03")
    b.commit("Y disputed")
    assert b.merge(a).returncode == 0
    before = database_bytes(b.db_path)
    result = b.cli("import", b.folder, "--no-match", db=b.db_path)
    assert result.exit_code == 1
    assert "dated before the last one this database recorded" in result.stderr and "claims build" in result.stderr
    assert database_bytes(b.db_path) == before
    built = tmp_path / "site" / "claims.db"
    assert b.cli("build", b.folder, "-o", built).exit_code == 0
    with open_db(built) as db:
        assert [change["to"] for change in _claim(db, ARTICLE_Y)["history"]] == [
            "unconfirmed",
            "corroborated",
            "disputed",
        ]


def test_the_same_claim_edited_two_ways_is_a_clear_conflict(desks):
    a, b = desks
    with a.db() as db:
        model.set_status(db, _claim(db, ARTICLE_Y)["id"], "corroborated", reason="NIS briefing", on="2025-09-02")
    a.commit("Y corroborated")
    for desk, translation in ((a, "Selon Séoul, 600 soldats tués."), (b, "Laut Seoul 600 Soldaten getötet.")):
        path = next(desk.folder.glob("sources/yonhap-*.yml"))
        claim_fields = "  language: en\n  asserted_by:"  # the claim's, not its source's
        text = path.read_text().replace(claim_fields, f"  translation: {translation}\n{claim_fields}")
        path.write_text(text)
        _git(desk.folder, "commit", "--quiet", "-am", "translation")
    merge = a.merge(b)
    assert merge.returncode != 0
    assert "CONFLICT (content): Merge conflict in sources/yonhap-" in merge.stdout
    path = next(a.folder.glob("sources/yonhap-*.yml"))
    # the driver names the file by its path in the repository (git's %P), not git's temporary copy
    assert f"conflict in sources/{path.name}: claim" in merge.stderr, merge.stderr
    text = path.read_text()
    assert (
        "<<<<<<< ours\n  translation: Selon Séoul, 600 soldats tués.\n=======\n"
        "  translation: Laut Seoul 600 Soldaten getötet.\n>>>>>>> theirs\n"
    ) in text
    assert "status: corroborated" in text  # the rest merged
    before = database_bytes(a.db_path)
    result = a.cli("import", a.folder, db=a.db_path)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path.name}:") and "unresolved git conflict marker" in result.stderr
    assert database_bytes(a.db_path) == before


def test_a_stance_added_on_one_desk_and_a_figure_corrected_on_the_other_are_both_kept(desks, tmp_path):
    a, b = desks
    with a.db() as db:
        model.add_stance(db, _claim(db, ARTICLE_Y)["id"], "Pyongyang", "denies", on="2025-09-02")
    a.commit("Pyongyang denies Y")
    path = next(b.folder.glob("sources/yonhap-*.yml"))
    path.write_text(path.read_text().replace("killed=~600 soldiers", "killed=~700 soldiers"))
    _git(b.folder, "commit", "--quiet", "-am", "Y: the figure is 700")
    merge = a.merge(b)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    a.import_("--prune")  # the figure corrected replaces the one recorded
    for db in (a.db(), _fresh_build(a, tmp_path)):
        with db:
            claim = _claim(db, ARTICLE_Y)
            assert claim["denied_by"] == ["Pyongyang"] and claim["asserted_by"] == ["Seoul"]
            assert [(f["measure"], f["low"]) for f in claim["figures"]] == [("killed", 700)]


@pytest.mark.parametrize("command", ["merge-file", "repo init"])
def test_repository_commands_have_help_with_an_example(cli, command):
    result = cli(*command.split(), "--help")
    assert result.exit_code == 0
    assert "Example: claims " in result.stdout
