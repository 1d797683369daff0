"""A claims repository (a folder of YAML files) into a database: incremental imports and fresh builds.

Each file imported from a folder is recorded in `imported_files` with its SHA-256, and with what its records are
(claim and source ids, the source keys and actors it declares). The next import of the folder reads only the files
whose content changed, and tells what a changed or deleted file no longer holds (*stale*: recorded from it, in no
file now). An import keeps stale rows, as every import keeps what it does not mention; a build never does: it
starts again from an empty database.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlite_utils import Database

from .. import model
from ..db import open_db, write_transaction
from ..errors import ClaimsError, DatabaseProblem, InvalidValue
from ..maintenance import counts_path, write_counts
from ..records import SOURCE_FIELDS, InvalidRecords
from .importer import ImportSummary

YAML_SUFFIXES = (".yml", ".yaml")


class BuildFailed(ClaimsError):
    """The repository does not build: the database it gives fails `claims check`."""


class _Rebuild(Exception):
    """An incremental build cannot give what a fresh one would: the reason why."""


@dataclass
class FolderImport:
    """What importing a folder did: the import's summary, the files read and skipped, what is stale."""

    summary: ImportSummary
    read: list[str] = field(default_factory=list)
    skipped: int = 0
    missing: list[str] = field(default_factory=list)  # files imported before that are no longer in the folder
    stale: dict[str, list[int]] = field(default_factory=dict)  # {"claims"|"sources"|"actors": ids in no file now}
    purged: list[int] = field(default_factory=list)  # stale claims an incremental build removed (logged in purges)

    def describe(self) -> str:
        """One line: files read and skipped, then the import's summary."""
        files = f"{len(self.read)} file{'s' if len(self.read) != 1 else ''} read, {self.skipped} unchanged skipped"
        purged = f"; {len(self.purged)} claims in no file now purged" if self.purged else ""
        return f"{files}; {self.summary.describe()}{purged}"

    def stale_notes(self) -> list[str]:
        """What the folder no longer holds and the database still does, in words."""
        notes = [f"{path} was imported before and is no longer in the folder" for path in self.missing]
        for kind, ids in self.stale.items():
            if ids:
                shown = ", ".join(map(str, ids[:10])) + (", ..." if len(ids) > 10 else "")
                notes.append(
                    f"{len(ids)} {kind} recorded from files since changed or removed are in no file now "
                    f"(ids {shown}): kept; 'claims build' builds a database without them"
                )
        return notes


@dataclass
class BuildResult:
    """What `build` did: a full or incremental build, why it was full, the import, whether it was checked."""

    output: Path
    full: bool
    reason: str
    folder: FolderImport
    claims: int
    checked: bool
    seconds: float


def yaml_files(folder: Path) -> list[str]:
    """The YAML files `claims import` reads in a folder (subfolders too, hidden ones not), as POSIX paths in it."""
    from .readers import yaml_paths

    return [path.relative_to(folder).as_posix() for path in yaml_paths(folder)]


def file_digest(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file."""
    digest, size = hashlib.sha256(), 0
    try:
        with path.open("rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError as e:
        raise InvalidValue(f"cannot read {path}: {e.strerror}") from None
    return digest.hexdigest(), size


def import_folder(
    db: Database,
    folder: Path,
    *,
    all_files: bool = False,
    prune: bool = False,
    create_actors: bool = False,
    skip_invalid: bool = False,
    rejects: IO[str] | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> FolderImport:
    """Import the YAML files of `folder` whose content changed since the last import into `db` (all with `all_files`).

    Raises InvalidRecords (nothing written) as `import_path` does. Files are named by their path in the folder;
    problems by file name and line.
    """
    from .imports import import_path
    from .readers import read_yaml

    if not folder.is_dir():
        raise InvalidValue(f"{folder} is not a folder")
    paths = yaml_files(folder)
    if not paths:
        raise InvalidValue(f"no .yml or .yaml file in {folder}")
    digests = {path: file_digest(folder / path) for path in paths}
    recorded = {row["path"]: row for row in db["imported_files"].rows}
    changed = [
        path
        for path in paths
        if all_files or path not in recorded or (recorded[path]["sha256"], recorded[path]["size"]) != digests[path]
    ]
    result = FolderImport(ImportSummary(by_file={}), read=changed, skipped=len(paths) - len(changed))
    result.missing = [path for path in recorded if path not in digests]
    unchanged = [recorded[path] for path in paths if path not in changed]
    if changed:
        known = {key: source for row in unchanged for key, source in json.loads(row["source_keys"]).items()}
        keys: dict[str, tuple[str, dict]] = {}
        actors, items = read_yaml(folder, files=[folder / path for path in changed], known_sources=known, keys=keys)
        earlier = (
            {}
            if all_files
            else {path: json.loads(recorded[path]["record_digests"]) for path in changed if path in recorded}
        )
        items, digests_of = _unchanged_records(db, items, changed, earlier, result.summary)
        import_path(
            db,
            folder,
            format="yaml",
            read=lambda: (actors, iter(items), len(items)),
            summary=result.summary,
            prune=prune,
            create_actors=create_actors,
            skip_invalid=skip_invalid,
            rejects=rejects,
            progress=progress,
        )
        held = _what_files_hold(db, changed, result.summary, keys, actors)
    else:
        held = {}
    old = [recorded[path] for path in [*changed, *result.missing] if path in recorded]
    result.stale = _stale(old, held.values(), unchanged)
    failed = {problem.where.rpartition(":")[0] for problem in result.summary.problems}
    with write_transaction(db):
        db["imported_files"].delete_where(f"path in ({', '.join('?' * len(result.missing))})", result.missing)
        stamp = model.now()
        db["imported_files"].upsert_all(
            [
                {
                    "path": path,
                    "sha256": digests[path][0],
                    "size": digests[path][1],
                    "imported_at": stamp,
                    **{column: json.dumps(value, ensure_ascii=False) for column, value in held[path].items()},
                    "record_digests": json.dumps(digests_of(path), sort_keys=True),
                }
                for path in changed
                if Path(path).name not in failed  # a file with a rejected record is read again
            ],
            pk="path",
        )
    result.summary.by_file = None
    return result


def _record_digest(item) -> str | None:
    """A digest of a claim record as read (not where it is in its file), or None for anything else."""
    record = item.record
    if item.problem is not None or not isinstance(record, dict) or "text" not in record:
        return None
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _unchanged_records(db: Database, items: list, paths: list[str], earlier: dict[str, dict], summary: ImportSummary):
    """The items of the changed files to write: those whose record differs from the one the file held when last
    imported (`earlier`: {path: {digest: claim id}}), its claim still recorded. The others count as unchanged and
    as held by their file (`summary.by_file`). Also returns `digests_of(path)`: {digest: claim id} once written."""
    names = {Path(path).name: path for path in paths}
    digest_at = {item.where: _record_digest(item) for item in items}
    wanted = {claim_id for digests in earlier.values() for claim_id in digests.values()}
    sources = _sources_of(db, sorted(wanted))  # {claim id: its source ids} of the claims still recorded
    to_write, skipped = [], {path: {} for path in paths}
    for item in items:
        name = item.where.rpartition(":")[0]
        digest, path = digest_at[item.where], names.get(name)
        claim_id = earlier.get(path, {}).get(digest) if digest else None
        if claim_id is None or claim_id not in sources:
            to_write.append(item)
            continue
        skipped[path][digest] = claim_id
        summary.unchanged += 1
        summary.note_held(item.where, claim_id, sources[claim_id])

    def digests_of(path: str) -> dict[str, int]:
        written = {
            digest_at[where]: claim_id
            for where, claim_id in summary.claim_at.items()
            if names.get(where.rpartition(":")[0]) == path and digest_at.get(where)
        }
        return skipped[path] | written

    return to_write, digests_of


def _sources_of(db: Database, claim_ids: list[int]) -> dict[int, set[int]]:
    """{claim id: its source and its parties' sources} of these claims, those still recorded."""
    found: dict[int, set[int]] = {}
    for start in range(0, len(claim_ids), 500):
        chunk = claim_ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for claim_id, source_id in db.execute(f"select id, source_id from claims where id in ({marks})", chunk):
            found[claim_id] = {source_id}
        sql = f"select claim_id, source_id from attributions where claim_id in ({marks}) and source_id is not null"
        for claim_id, source_id in db.execute(sql, chunk):
            found[claim_id].add(source_id)
    return found


def _what_files_hold(
    db: Database, paths: list[str], summary: ImportSummary, keys: dict[str, tuple[str, dict]], actors: list[dict]
) -> dict[str, dict]:
    """{path: {claim_ids, source_ids, source_keys, actor_ids}} of the files just read.

    Records are known by file name (`where` is "name:line"): files of the same name in two subfolders share
    what they hold, which can only hide that something went stale, never make it so.
    """
    by_name: dict[str, dict] = {}
    for path in paths:
        by_name.setdefault(
            Path(path).name, {"claim_ids": set(), "source_ids": set(), "source_keys": {}, "actor_ids": set()}
        )
    for name, (claims, sources) in (summary.by_file or {}).items():
        if name in by_name:
            by_name[name]["claim_ids"] |= claims
            by_name[name]["source_ids"] |= sources
    for key, (where, source) in keys.items():
        name = where.rpartition(":")[0]
        if name in by_name:
            by_name[name]["source_keys"][key] = {k: v for k, v in source.items() if k in SOURCE_FIELDS}
    for actor in actors:
        name = actor["where"].rpartition(":")[0]
        actor_id = model.find_actor_id(db, actor["name"]) if isinstance(actor.get("name"), str) else None
        if name in by_name and actor_id is not None:
            by_name[name]["actor_ids"].add(actor_id)
    return {
        path: {
            column: sorted(value) if isinstance(value, set) else value
            for column, value in by_name[Path(path).name].items()
        }
        for path in paths
    }


def _stale(old: list[dict], new, unchanged: list[dict]) -> dict[str, list[int]]:
    """Ids that the earlier versions of the files read or removed held and that no file holds now."""
    stale = {}
    new = list(new)
    for kind in ("claims", "sources", "actors"):
        column = f"{kind[:-1]}_ids"
        candidates = {i for row in old for i in json.loads(row[column])} - {i for held in new for i in held[column]}
        if candidates:  # rarely: the files still held everything; only then are the other files' ids read
            candidates -= {i for row in unchanged for i in json.loads(row[column])}
        stale[kind] = sorted(candidates)
    return stale


def build(
    folder: Path,
    output: Path,
    *,
    all_files: bool = False,
    check: bool = False,
    progress: Callable[[int, int | None], None] | None = None,
) -> BuildResult:
    """Build `output` from the claims repository `folder`: afresh, or from the last build when only files changed.

    A fresh build imports every file into a new database next to `output`, runs `claims check` on it, VACUUMs it
    and renames it over `output` (a failed build leaves `output` as it was). An incremental build imports the changed
    files into `output` in one transaction, with --prune semantics, purges the claims no file holds any more
    (a text edited, a claim removed: each purge logged), and goes back to a fresh build (saying why) when a file
    was removed, a source or an actor is in no file now, or the changes cannot be applied (history rewritten);
    it runs `check` only if asked, and does not VACUUM. Either writes the row counts next to `output`.
    """
    started = time.monotonic()
    if not folder.is_dir():
        raise InvalidValue(f"{folder} is not a folder")
    reason = "--all-files" if all_files else "no earlier build at " + str(output)
    if output.exists() and not all_files:
        try:
            done = _incremental(folder, output, check=check, progress=progress)
        except _Rebuild as e:
            reason = str(e)
        else:
            return BuildResult(output, False, "", done[0], done[1], check, time.monotonic() - started)
    imported, claims = _fresh(folder, output, progress=progress)
    return BuildResult(output, True, reason, imported, claims, True, time.monotonic() - started)


def _incremental(folder: Path, output: Path, *, check: bool, progress) -> tuple[FolderImport, int]:
    """Bring the last build up to date with the folder; _Rebuild if only a fresh build can."""
    from ..maintenance import check as check_database
    from ..revisions import purge_claim

    try:
        db = open_db(output)
    except DatabaseProblem as e:
        raise DatabaseProblem(f"{e} (claims build writes over a database it built, or a new file)") from None
    try:
        if not db["imported_files"].count:
            raise _Rebuild(f"{output} holds no files of a claims repository")
        try:
            with write_transaction(db):
                imported = import_folder(db, folder, prune=True, progress=progress)
                if imported.missing:
                    raise _Rebuild(
                        f"{len(imported.missing)} files removed since the last build ({imported.missing[0]}...)"
                    )
                stale = {kind: ids for kind, ids in imported.stale.items() if ids and kind != "claims"}
                if stale:
                    raise _Rebuild(
                        ", ".join(f"{len(ids)} {kind}" for kind, ids in stale.items())
                        + " of the last build are in no file now"
                    )
                for claim_id in imported.stale["claims"]:  # a claim whose text was edited, or removed
                    purge_claim(
                        db, claim_id, reason=f"No longer in the claims repository {folder.name}/ (claims build)"
                    )
                imported.purged = imported.stale["claims"]
        except InvalidRecords as e:
            raise _Rebuild(f"the changes cannot be applied to the last build ({e.problems[0]})") from None
        if check and (problems := check_database(db)):
            raise BuildFailed(f"{output}: {len(problems)} problems found by claims check, the first: {problems[0]}")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    rows = write_counts(output, counts_path(output))
    return imported, rows["claims"]["count"]


def _fresh(folder: Path, output: Path, *, progress) -> tuple[FolderImport, int]:
    """Build a new database from every file of the folder next to `output`, check it, then put it in its place."""
    from ..maintenance import check as check_database

    output.parent.mkdir(parents=True, exist_ok=True)
    building = output.with_name(f".{output.name}.building-{os.getpid()}")
    _remove(building)
    try:
        db = open_db(building, create=True)
        try:
            imported = import_folder(db, folder, all_files=True, progress=progress)
            problems = check_database(db)
            if problems:
                raise BuildFailed(
                    f"the database built from {folder} fails claims check: {len(problems)} problems, "
                    f"the first: {problems[0]}"
                )
            db.execute("PRAGMA journal_mode = DELETE")  # one self-contained file, to copy and to serve immutable
            db.execute("VACUUM")
        finally:
            db.close()
        claims = write_counts(building, counts_path(output), served_as=output)["claims"]["count"]
        _remove(output, sidecars_only=True)
        os.replace(building, output)
    except BaseException:
        _remove(building)
        raise
    return imported, claims


def _remove(path: Path, *, sidecars_only: bool = False) -> None:
    """Remove a database file and its -wal, -shm and -journal files (or only those)."""
    names = [] if sidecars_only else [path.name]
    for name in [*names, f"{path.name}-wal", f"{path.name}-shm", f"{path.name}-journal"]:
        path.with_name(name).unlink(missing_ok=True)
