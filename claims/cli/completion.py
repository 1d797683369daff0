"""Shell completion of actor names, statuses and source ids, read from the database.

A shell runs `claims` on every Tab press, so each lookup is one indexed range query,
as fast on a million claims as on ten, and changes nothing: the database is opened by
open_read_only() (no creation, no migration, no -wal/-shm files). Without a usable
claims database there is nothing to offer, and nothing is printed.

The complete_* functions are the `shell_complete=` hooks of the CLI's options. Typer's
`autocompletion=` drops every candidate that does not start with the typed text, case
and accents included, so "seo" could never complete to "Séoul": `shell_complete=`
leaves the matching to these functions.
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

from ..db import open_read_only
from ..registry import actors_by_prefix, sources_by_id_prefix, statuses_by_prefix

HELP_WIDTH = 70  # Rich wraps longer help onto a second line, which fish would read as another candidate
_BASH_SPECIAL = re.compile(r"([^\w@%+=:,./-])")  # what bash would split on or expand: escaped, "Kim\ Jong\ Un"


def complete_actor(ctx, param, incomplete: str) -> list:
    """Actor names (kind and country as help) matching what is typed, as any of their spellings."""
    return _offer(
        ctx,
        lambda db: [
            (row["name"], ", ".join(filter(None, [row["kind"], row["country"]])))
            for row in actors_by_prefix(db, incomplete)
        ],
    )


def complete_status(ctx, param, incomplete: str) -> list:
    """Statuses (their meaning as help) starting with what is typed."""
    return _offer(ctx, lambda db: [(row["name"], row["meaning"]) for row in statuses_by_prefix(db, incomplete)])


def complete_source(ctx, param, incomplete: str) -> list:
    """The most recent source ids (their title as help) starting with the digits typed."""
    return _offer(
        ctx, lambda db: [(str(row["id"]), row["title"]) for row in sources_by_id_prefix(db, incomplete.strip())]
    )


def _offer(ctx, lookup) -> list:
    """The (value, help) pairs `lookup(db)` finds in the database given so far (--db, else $CLAIMS_DB), as completion items."""
    path = ctx.params.get("db_path")
    try:
        db = open_read_only(Path(path).expanduser() if path else None)
        try:
            candidates = lookup(db)
        finally:
            db.close()
    except Exception:  # a missing, foreign, locked or broken file: a Tab press must never print a traceback
        return []
    from typer.core import CompletionItem  # what shell_complete hooks return, to carry help

    if _shell(ctx) == "bash":  # bash shows no help, and inserts the value as it is
        return [CompletionItem(_BASH_SPECIAL.sub(r"\\\1", value)) for value, _ in candidates]
    from rich.markup import escape  # zsh, fish and PowerShell show help, which Typer renders with Rich

    return [
        CompletionItem(value, help=escape(textwrap.shorten(help, HELP_WIDTH, placeholder="…")) or None)
        for value, help in candidates
    ]


def _shell(ctx) -> str:
    """The shell asking, from the instruction Typer reads (e.g. _CLAIMS_COMPLETE=complete_bash)."""
    program = ctx.find_root().info_name or "claims"
    instruction = os.environ.get(f"_{program}_COMPLETE".replace("-", "_").upper(), "")
    return instruction.rpartition("_")[2]
