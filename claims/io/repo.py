"""A claims repository: the database as a folder of YAML files that git can diff, review and merge.

`actors.yml` holds every actor; `sources/<name>.yml` holds one source and its claims. A file's name comes from
its source's identity alone (its URL, else its title, outlet and date), so that two desks recording the same
source name the same file and different sources never share one. Everything is in a canonical order that does
not depend on the ids of the database it was exported from: exporting again after importing changes no byte,
and the merge driver (claims.repo_merge) writes the same bytes an export would.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import subprocess
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlite_utils import Database

from ..errors import ClaimsError
from ..records import CHANGE_FIELDS, PARTY_FIELDS, SOURCE_FIELDS, source_identity
from ..values import fold, identity_key
from ..vocabulary import ROLE_OF_COLUMN

SECTIONS = ("sources", "actors", "claims")  # in the order files have them
ACTORS_FILE = "actors.yml"
SOURCES_FOLDER = "sources"
HEADER = "# claims-as-code (claims export --layout folder): review, then `claims import` the folder.\n"
# The order exports write fields in (writers.yaml_document; test_repo checks they agree): a file edited by
# hand comes out of a merge in this order too.
FIELD_ORDER = {
    "sources": ("key", *SOURCE_FIELDS, "body", "body_sha256", "stored_at"),
    "actors": ("name", "kind", "country", "aliases"),
    "claims": (
        "text",
        "translation",
        "language",
        "said_on",
        "quote",
        *ROLE_OF_COLUMN,
        "figures",
        "status",
        "reason",
        "changes",
        "notes",
        "links",
        "span",
        "source",
    ),
}
LINK_FIELD_ORDER = ("relation", "source", "text", "reason")
ITEM_FIELD_ORDER = {"parties": PARTY_FIELDS, "changes": CHANGE_FIELDS, "links": LINK_FIELD_ORDER}
SLUG_LENGTH = 48  # characters of a file name taken from the source's identity, before its hash
HASH_LENGTH = 12  # hex digits of the identity's SHA-256 in a file name: 48 bits, no collision in millions of sources
GITATTRIBUTES = ["actors.yml merge=claims", "sources/*.yml merge=claims"]
GITIGNORE = ["*.db", "*.db-wal", "*.db-shm", "*.db-journal", "*.partial"]


# Naming


def source_key(source: dict) -> str:
    """A source's key and file name: an ASCII slug of its identity and a hash of it (stable, safe, unique)."""
    identity = [part or "" for part in source_identity(source)]
    digest = hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode("utf-8")).hexdigest()
    readable = identity if len(identity) == 1 else identity[1:] + identity[:1]  # outlet, date, title: files sort so
    return f"{_slug(' '.join(readable))}-{digest[:HASH_LENGTH]}"


def _slug(text: str) -> str:
    """Lowercase ASCII letters, digits and single dashes, at most SLUG_LENGTH long; 'source' if nothing is left."""
    text = re.sub(r"^[a-z][a-z0-9+.-]*://(www\.)?", "", text.strip(), flags=re.I)  # a URL's scheme says nothing
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH].rsplit("-", 1)[0] if "-" in slug[:SLUG_LENGTH] else slug[:SLUG_LENGTH]
    return slug.strip("-") or "source"


def source_path(key: str) -> str:
    """The file of the source with `key`, relative to the repository."""
    return f"{SOURCES_FOLDER}/{key}.yml"


# Canonical documents


def canonical(document: dict) -> dict:
    """The document in the order exports write: entries and their lists sorted by what they are, never by id."""
    result = {}
    for section in SECTIONS:
        if section not in document:
            continue
        entries = [canonical_entry(section, entry) for entry in document[section] or []]
        result[section] = sorted(entries, key=lambda entry: entry_order(section, entry))
    return result


def canonical_entry(section: str, entry: Any) -> Any:
    """An entry of a section with its lists in order, and a source's body written as a literal block."""
    from .writers import LiteralText

    if not isinstance(entry, dict):
        return entry  # a conflict left in a merge: each side is put in order by itself
    entry = _in_order(entry, FIELD_ORDER[section])
    if section == "sources" and isinstance(entry.get("body"), str):
        entry["body"] = LiteralText(entry["body"])
    elif section == "actors" and isinstance(entry.get("aliases"), list):
        entry["aliases"] = sorted(entry["aliases"], key=lambda alias: (fold(str(alias)), str(alias)))
    elif section == "claims":
        for name, value in entry.items():
            if isinstance(value, list):
                order = ITEM_FIELD_ORDER.get("parties" if name in ROLE_OF_COLUMN else name)
                items = [_in_order(item, order) if order and isinstance(item, dict) else item for item in value]
                entry[name] = sorted(items, key=lambda item: list_order(name, item))
    return entry


def _in_order(mapping: dict, order: tuple[str, ...]) -> dict:
    """The mapping with its keys in `order`, any others after them as they came."""
    known = {name: mapping[name] for name in order if name in mapping}
    return known | {name: value for name, value in mapping.items() if name not in known}


def entry_key(section: str, entry: dict) -> Any:
    """What identifies an entry of a section across databases: a source's key, an actor's name, a claim's text in
    its source."""
    if section == "sources":
        return str(entry.get("key"))
    if section == "actors":
        return fold(str(entry.get("name")))
    return str(entry.get("source")), identity_key(str(entry.get("text")))


def entry_order(section: str, entry: Any) -> tuple:
    """Where an entry goes in its section: sources by key, actors by name, claims by place in the source's text,
    then by text."""
    entry = getattr(entry, "representative", entry)  # a conflict left in a merge goes where one of its sides goes
    if section == "claims":
        span = entry.get("span")
        start = span[0] if isinstance(span, list) and span and isinstance(span[0], int) else None
        return (start is None, start or 0, *entry_key(section, entry), str(entry.get("text")))
    return entry_key(section, entry), str(entry.get("name", ""))


def list_order(field_name: str, item: Any) -> tuple:
    """Where an item goes in a claim's list: parties by actor, figures and links by what they say; history stays
    in its order (the sort is stable and every change has the same place)."""
    if field_name in ROLE_OF_COLUMN:
        actor = item.get("actor") if isinstance(item, dict) else item
        return fold(str(actor)), str(actor), json.dumps(item, sort_keys=True, ensure_ascii=False, default=str)
    if field_name == "links" and isinstance(item, dict):
        return str(item.get("source")), identity_key(str(item.get("text"))), str(item.get("relation"))
    if field_name == "figures":
        return (str(item),)
    return ()


def render(document: dict, out: IO[str]) -> None:
    """Write a document of a claims repository: the header line, then the export's YAML dialect."""
    from .writers import dump_yaml

    out.write(HEADER)
    dump_yaml(document, out)


def rendered(document: dict) -> str:
    """The text `render` writes."""
    import io

    out = io.StringIO()
    render(document, out)
    return out.getvalue()


def folder_documents(db: Database) -> dict[str, dict]:
    """The repository's files (relative path: canonical document): actors.yml, and one file per source."""
    from .writers import yaml_document

    document = yaml_document(db)
    keys = {source["key"]: source_key(source) for source in document["sources"]}
    if len(set(keys.values())) < len(keys):  # two identities with one hash: astronomically rare, never silent
        raise ClaimsError("two sources have the same file name; please report this")
    files = {ACTORS_FILE: {"actors": document["actors"]}}
    for source in document["sources"]:
        key = keys[source["key"]]
        files[source_path(key)] = {"sources": [{**source, "key": key}], "claims": []}
    for claim in document["claims"]:
        claim["source"] = keys[claim["source"]]
        for link in claim.get("links", []):
            link["source"] = keys[link["source"]]
        files[source_path(claim["source"])]["claims"].append(claim)
    return {path: canonical(document) for path, document in sorted(files.items())}


@dataclass
class FolderExport:
    claims: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def export_folder(db: Database, folder: Path) -> FolderExport:
    """Write the database as a claims repository in `folder`: files that would not change are left alone (and keep
    their modification time); source files of sources no longer recorded are removed."""
    if folder.exists() and not folder.is_dir():
        raise ClaimsError(f"{folder} is a file: --layout folder writes a folder")
    outcome = FolderExport()
    files = folder_documents(db)
    try:
        (folder / SOURCES_FOLDER).mkdir(parents=True, exist_ok=True)
        for path, document in files.items():
            outcome.claims += len(document.get("claims", []))
            text = rendered(document).encode("utf-8")
            target = folder / path
            if target.is_file() and target.read_bytes() == text:
                outcome.unchanged += 1
                continue
            partial = target.with_name(target.name + ".partial")
            partial.write_bytes(text)
            partial.replace(target)
            outcome.written.append(path)
        for stale in sorted((folder / SOURCES_FOLDER).glob("*.yml")):
            path = f"{SOURCES_FOLDER}/{stale.name}"
            if path not in files:
                stale.unlink()
                outcome.removed.append(path)
    except OSError as e:
        raise ClaimsError(f"cannot write {e.filename or folder}: {e.strerror}") from None
    return outcome


# Setting up a repository


def driver_command(executable: list[str]) -> str:
    """The `merge.claims.driver` line git runs: `claims merge-file %O %A %B %P` through the given executable."""
    return " ".join(shlex.quote(part) for part in executable) + " merge-file %O %A %B %P"


def init_repository(folder: Path, executable: list[str]) -> list[str]:
    """Make `folder` a claims repository (git init if needed, the merge driver, .gitattributes, .gitignore,
    README); return what was done, nothing when all was in place."""
    done = []
    folder.mkdir(parents=True, exist_ok=True)
    if not (folder / ".git").exists():
        _git(folder, "init", "--quiet")
        done.append(f"initialised a git repository in {folder}")
    command = driver_command(executable)
    settings = (("merge.claims.name", "claims: merge claims files semantically"), ("merge.claims.driver", command))
    for name, value in settings:
        if _git(folder, "config", "--local", "--get", name, check=False).strip() != value:
            _git(folder, "config", "--local", name, value)
            done.append(f"set {name} = {value}")
    for name, lines in ((".gitattributes", GITATTRIBUTES), (".gitignore", GITIGNORE)):
        if added := _add_lines(folder / name, lines):
            done.append(f"added to {name}: {', '.join(added)}")
    readme = folder / "README.md"
    if not readme.exists():
        readme.write_text(README_STUB, encoding="utf-8")
        done.append("wrote README.md")
    return done


def _add_lines(path: Path, lines: list[str]) -> list[str]:
    """Append to `path` those of `lines` it does not hold; return them."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    present = {line.strip() for line in text.splitlines()}
    missing = [line for line in lines if line not in present]
    if missing:
        with path.open("a", encoding="utf-8") as f:
            f.write(("" if not text or text.endswith("\n") else "\n") + "".join(f"{line}\n" for line in missing))
    return missing


def _git(folder: Path, *args: str, check: bool = True) -> str:
    try:
        result = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise ClaimsError("git is not installed (a claims repository is a git repository)") from None
    if check and result.returncode != 0:
        raise ClaimsError(f"git {args[0]} failed in {folder}: {result.stderr.strip() or result.returncode}")
    return result.stdout


README_STUB = """\
# Claims

A claims repository: `actors.yml` and one file per source under `sources/`, written by
`claims export --layout folder -o .` and read back by `claims import .`. Review changes in pull requests.
Claims files merge through `claims merge-file` (set up by `claims repo init`): appended status changes,
parties and new claims from two branches are all kept; the same field edited two ways is a conflict.
"""
