"""Three-way merge of claims files: git's merge driver for a claims repository (`claims merge-file %O %A %B %P`).

Entries are matched by what identifies them (a source by its key, an actor by its name, a claim by its text in
its source), never by position. Status changes appended on both sides are all kept, in date order; parties,
figures, links, aliases and entries added on either side are kept; a field changed on one side only takes that
change. The same field changed two ways, or an entry changed on one side and removed on the other, is a conflict,
written between git's markers at that field or entry. The result is written as an export writes it.
"""

from __future__ import annotations

import json
import re
import secrets
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ClaimsError
from ..values import fold, identity_key
from ..vocabulary import ROLE_OF_COLUMN
from .repo import SECTIONS, canonical, canonical_entry, entry_key, rendered

MISSING: Any = type("Missing", (), {"__repr__": lambda self: "MISSING"})()  # a field an entry does not have


@dataclass
class FieldConflict:
    """One field changed two ways: each side's value (MISSING if that side removed it)."""

    ours: Any
    theirs: Any


@dataclass
class EntryConflict:
    """An entry changed on one side and removed on the other (None), or added two ways."""

    ours: dict | None
    theirs: dict | None

    @property
    def representative(self) -> dict:
        return self.ours if self.ours is not None else self.theirs


@dataclass
class MergeOutcome:
    clean: bool
    conflicts: list[str] = field(default_factory=list)  # where each conflict is, in words
    fallback: str | None = None  # why the files were merged line by line


class Unmergeable(ClaimsError):
    """A version is not a claims file that can be merged entry by entry."""


def merge_paths(base: Path, ours: Path, theirs: Path) -> MergeOutcome:
    """Merge the three versions of a claims file into `ours`; line by line (git merge-file) if one is not readable."""
    from .readers import load_yaml

    try:
        documents = []
        for path in (base, ours, theirs):
            documents.append(_entries(load_yaml(path)[0] if path.stat().st_size else {}, path))
        text, conflicts = merge_documents(*documents)
    except (ClaimsError, OSError) as e:
        subprocess.run(
            ["git", "merge-file", "-L", "ours", "-L", "base", "-L", "theirs", str(ours), str(base), str(theirs)],
            capture_output=True,
            check=False,
        )
        return MergeOutcome(clean=False, fallback=str(e))
    ours.write_bytes(text.encode("utf-8"))
    return MergeOutcome(clean=not conflicts, conflicts=conflicts)


def merge_texts(base: str, ours: str, theirs: str) -> tuple[str, list[str]]:
    """The merge of three versions of a claims file, and where its conflicts are (none: a clean merge)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / f"{name}.yml" for name in ("base", "ours", "theirs")]
        for path, text in zip(paths, (base, ours, theirs), strict=False):
            path.write_text(text, encoding="utf-8")
        outcome = merge_paths(*paths)
        if outcome.fallback:
            raise Unmergeable(outcome.fallback)
        return paths[1].read_text(encoding="utf-8"), outcome.conflicts


def _entries(document: Any, path: Path) -> dict:
    """The document, checked to be sections of entries that can be matched; raise Unmergeable if not."""
    if not isinstance(document, dict):
        raise Unmergeable(f"{path.name}: not a claims file")
    required = {"sources": "key", "actors": "name", "claims": "text"}
    for section, entries in document.items():
        if not isinstance(entries, list) and entries is not None:
            raise Unmergeable(f"{path.name}: {section} is not a list")
        for entry in entries or []:
            if not isinstance(entry, dict) or entry.get(required[section]) is None:
                raise Unmergeable(f"{path.name}: an entry of {section} has no {required[section]}")
        keys = [entry_key(section, entry) for entry in entries or []]
        if len(set(keys)) < len(keys):
            raise Unmergeable(f"{path.name}: two entries of {section} are the same one")
    return document


def merge_documents(base: dict, ours: dict, theirs: dict) -> tuple[str, list[str]]:
    """The merged document as an export writes it, conflicts between markers; and where the conflicts are."""
    conflicts: list[str] = []
    merged = {}
    for section in SECTIONS:
        if section in ours or section in theirs:
            merged[section] = _merge_section(section, *(d.get(section) or [] for d in (base, ours, theirs)), conflicts)
    return _render(canonical(merged)), conflicts


def _merge_section(section: str, base: list, ours: list, theirs: list, conflicts: list[str]) -> list:
    by_key = [{entry_key(section, entry): entry for entry in entries} for entries in (base, ours, theirs)]
    result = []
    for key in _ordered_union(by_key[1], by_key[2]):
        b, o, t = (entries.get(key) for entries in by_key)
        if o == t:
            merged = o
        elif o is None or t is None:
            kept = o if t is None else t
            if b is None:
                merged = kept  # added on one side
            elif kept == b:
                merged = None  # removed on one side, unchanged on the other
            else:
                merged = EntryConflict(o, t)
                side = "ours" if t is None else "theirs"
                conflicts.append(f"{_describe(section, kept)}: changed on {side}, removed on the other side")
        else:
            merged = _merge_entry(section, b or {}, o, t, conflicts)
        if merged is not None:
            result.append(merged)
    return result


def _merge_entry(section: str, base: dict, ours: dict, theirs: dict, conflicts: list[str]) -> dict:
    merged = {}
    for name in _ordered_union(ours, theirs):
        value = _merge_value(section, name, base.get(name, MISSING), ours.get(name, MISSING), theirs.get(name, MISSING))
        if isinstance(value, FieldConflict):
            conflicts.append(f"{_describe(section, ours)}: {name} changed two ways")
        if value is not MISSING:
            merged[name] = value
    return merged


def _merge_value(section: str, name: str, base: Any, ours: Any, theirs: Any) -> Any:
    if ours == theirs:
        return ours
    if section == "claims" and name == "changes":
        return _merge_history(base, ours, theirs)
    if section == "claims" and (name in ROLE_OF_COLUMN or name in ("figures", "links")):
        return _merge_list(name, base, ours, theirs)
    if section == "actors" and name == "aliases":
        return _merge_set(base, ours, theirs)
    return _three_way(base, ours, theirs)


def _three_way(base: Any, ours: Any, theirs: Any) -> Any:
    """The side that changed, the value if both agree; a conflict if they changed it two ways."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    return FieldConflict(ours, theirs)


def _lists(*values: Any) -> list[list] | None:
    lists = [[] if value is MISSING else value for value in values]
    return lists if all(isinstance(value, list) for value in lists) else None


def _merge_history(base: Any, ours: Any, theirs: Any) -> Any:
    """The recorded history, then the changes appended on either side in date order (once each)."""
    lists = _lists(base, ours, theirs)
    if lists is None or any(side[: len(lists[0])] != lists[0] for side in lists[1:]):
        return _three_way(base, ours, theirs)  # a side rewrote recorded history: only one may have
    recorded, ours_new, theirs_new = lists[0], lists[1][len(lists[0]) :], lists[2][len(lists[0]) :]
    appended: list = []
    while ours_new or theirs_new:
        if ours_new and theirs_new and ours_new[0] == theirs_new[0]:
            change = ours_new.pop(0)
            theirs_new.pop(0)
        elif not theirs_new or (ours_new and _change_order(ours_new[0]) < _change_order(theirs_new[0])):
            change = ours_new.pop(0)
        else:
            change = theirs_new.pop(0)
        if change not in appended:
            appended.append(change)
    return recorded + appended or MISSING


def _change_order(change: Any) -> tuple[str, str]:
    """A status change's place among those appended: by date, then by what it says (the same on either side)."""
    date = change.get("date") if isinstance(change, dict) else None
    return str(date or ""), json.dumps(change, sort_keys=True, ensure_ascii=False, default=str)


def _merge_list(name: str, base: Any, ours: Any, theirs: Any) -> Any:
    """Parties, figures or links, matched by actor, measure or linked claim: each merged as a value of its own."""
    lists = _lists(base, ours, theirs)
    keyed = [_keyed(name, items) for items in lists] if lists is not None else [None]
    if None in keyed:
        return _three_way(base, ours, theirs)
    merged = []
    for key in _ordered_union(keyed[1], keyed[2]):
        value = _three_way(*(items.get(key, MISSING) for items in keyed))
        if isinstance(value, FieldConflict):
            return FieldConflict(ours, theirs)  # shown whole: the conflict is in this field
        if value is not MISSING:
            merged.append(value)
    return merged or MISSING


def _keyed(name: str, items: list) -> dict | None:
    """The items of a list by what identifies them; None if two items share that (then the list is one value)."""
    if name in ROLE_OF_COLUMN:
        keys = [fold(str(item.get("actor") if isinstance(item, dict) else item)) for item in items]
    elif name == "links":
        keys = [
            (str(link.get("source")), identity_key(str(link.get("text")))) if isinstance(link, dict) else None
            for link in items
        ]
    else:  # figures: by measure, or by the whole figure when a measure is given twice
        keys = [str(item).split("=", 1)[0].strip() for item in items]
        if len(set(keys)) < len(keys):
            keys = [str(item) for item in items]
    if None in keys or len(set(keys)) < len(keys):
        return None
    return dict(zip(keys, items, strict=False))


def _merge_set(base: Any, ours: Any, theirs: Any) -> Any:
    """Aliases: those added on either side, less those removed on either side."""
    lists = _lists(base, ours, theirs)
    if lists is None:
        return _three_way(base, ours, theirs)
    removed = {alias for alias in lists[0] if alias not in lists[1] or alias not in lists[2]}
    either = _ordered_union(dict.fromkeys(lists[1]), dict.fromkeys(lists[2]))
    merged = [alias for alias in either if alias not in removed]
    return merged or MISSING


def _ordered_union(first, second) -> list:
    """The keys of `first`, with those only in `second` inserted after the key they follow there."""
    keys = list(first)
    previous = None
    for key in second:
        if key not in keys:
            keys.insert(keys.index(previous) + 1 if previous is not None else 0, key)
        previous = key
    return keys


def _describe(section: str, entry: dict) -> str:
    """An entry in a few words, for a conflict's message."""
    if section == "claims":
        text = str(entry.get("text"))
        return f"claim {text[:50] + '...' if len(text) > 50 else text!r}"
    if section == "sources":
        return f"source {entry.get('key')}"
    return f"actor {entry.get('name')}"


# Writing conflicts


def _render(document: dict) -> str:
    """The document as an export writes it, with git's markers around each conflict's two sides."""
    nonce = secrets.token_hex(4)
    sides: dict[str, tuple[str, Any, Any]] = {}

    def token(kind: str, ours: Any, theirs: Any) -> str:
        name = f"claims-conflict-{len(sides)}-{nonce}"
        sides[name] = (kind, ours, theirs)
        return name

    marked = {}
    for section, entries in document.items():
        marked[section] = []
        for entry in entries:
            if isinstance(entry, EntryConflict):
                ours, theirs = (
                    canonical_entry(section, side) if side is not None else None for side in (entry.ours, entry.theirs)
                )
                marked[section].append({"conflict": token("entry", ours, theirs)})
                continue
            fields = {}
            for name, value in entry.items():
                if isinstance(value, FieldConflict):
                    ours, theirs = (
                        canonical_entry(section, {name: v}) if v is not MISSING else None
                        for v in (value.ours, value.theirs)
                    )
                    value = token("field", ours, theirs)
                fields[name] = value
            marked[section].append(fields)
    text = rendered(marked)
    if not sides:
        return text
    lines = []
    for line in text.splitlines(keepends=True):
        found = re.search(r"claims-conflict-\d+-" + nonce, line)
        if not found:
            lines.append(line)
            continue
        kind, ours, theirs = sides[found.group()]
        prefix = re.match(r"\s*" if kind == "entry" else r"\s*(- )?", line).group()
        lines += [
            "<<<<<<< ours\n",
            *_fragment(ours, kind, prefix),
            "=======\n",
            *_fragment(theirs, kind, prefix),
            ">>>>>>> theirs\n",
        ]
    return "".join(lines)


def _fragment(value: dict | None, kind: str, prefix: str) -> list[str]:
    """One side of a conflict as the lines an export would write there (none for a side without it)."""
    import io

    from .writers import dump_yaml

    if value is None:
        return []
    out = io.StringIO()
    dump_yaml([value] if kind == "entry" else value, out)
    lines = out.getvalue().splitlines(keepends=True)
    return [prefix + lines[0], *(" " * len(prefix) + line for line in lines[1:])]
