"""Terminal rendering with Rich. User text is always wrapped in `Text`, never parsed as markup."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

STATUS_STYLES = {
    "unconfirmed": "yellow",
    "corroborated": "cyan",
    "confirmed": "green",
    "disputed": "magenta",
    "denied": "red",
    "false": "bold red",
    "retracted": "dim",
}


MAX_CELL = 160
NARROW = {"id", "status"}
WIDE = {"text", "title", "meaning", "aliases"}


def _cell(value, limit: int | None = None) -> Text:
    if value is None:
        return Text("")
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return Text(text)


def print_table(rows: list[dict], columns: list[str], *, title: str) -> None:
    """Print `rows` as a table of `columns`."""
    console = Console()
    if not rows:
        console.print(Text(f"No {title.lower()} found."))
        return
    table = Table(title=title)
    for column in columns:
        table.add_column(
            column.replace("_", " "), overflow="fold", min_width=20 if column in WIDE else None, no_wrap=column in NARROW
        )
    for row in rows:
        cells = [_cell(row.get(column), MAX_CELL) for column in columns]
        if "status" in columns:
            index = columns.index("status")
            cells[index].stylize(STATUS_STYLES.get(row["status"], ""))
        table.add_row(*cells)
    console.print(table)


def print_claim(claim: dict) -> None:
    """Print one claim with its parties, figures, source and history."""
    console = Console()
    header = Text(f"Claim {claim['id']}  ")
    header.append(claim["status"], style=STATUS_STYLES.get(claim["status"], "") + " bold")
    header.append(f"  {claim['status_meaning']}", style="dim")
    console.print(header)
    console.print(Text(("“" if claim["is_quote"] else "") + claim["text"] + ("”" if claim["is_quote"] else "")))
    if claim["translation"]:
        console.print(Text(claim["translation"], style="italic"))
    source = claim["source"]
    details = [f"Source {source['id']}: {source['title']}"]
    details += [v for v in (source["outlet"], source["published"], source["url"]) if v]
    console.print(Text(" · ".join(details), style="dim"))
    if claim["said_on"]:
        console.print(Text(f"Said on {claim['said_on']}"))
    if claim["attributions"]:
        parties = Table(title="Parties", title_justify="left")
        for column in ("actor", "role", "kind", "stated on"):
            parties.add_column(column)
        for row in claim["attributions"]:
            parties.add_row(*map(_cell, (row["actor"], row["role"], row["kind"], row["stated_on"])))
        console.print(parties)
    if claim["figures"]:
        figures = Table(title="Figures", title_justify="left")
        for column in ("measure", "value", "low", "high"):
            figures.add_column(column)
        for row in claim["figures"]:
            figures.add_row(*map(_cell, (row["measure"], row["text"], row["low"], row["high"])))
        console.print(figures)
    history = Table(title="Status history", title_justify="left")
    for column in ("on", "from", "to", "reason", "evidence"):
        history.add_column(column, overflow="fold")
    for change in claim["history"]:
        history.add_row(*map(_cell, (change["on"], change["from"], change["to"], change["reason"], change["evidence"])))
    console.print(history)
    if claim["notes"]:
        console.print(Text(f"Notes: {claim['notes']}", style="dim"))
