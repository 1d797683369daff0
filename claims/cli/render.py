"""Terminal rendering with Rich. User text is always wrapped in `Text`, never parsed as markup."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..revisions import readable_value

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
            column.replace("_", " "),
            overflow="fold",
            min_width=20 if column in WIDE else None,
            no_wrap=column in NARROW,
        )
    for row in rows:
        cells = [_cell(row.get(column), MAX_CELL) for column in columns]
        if "status" in columns:
            index = columns.index("status")
            cells[index].stylize(STATUS_STYLES.get(row["status"], ""))
        table.add_row(*cells)
    console.print(table)


def _titled_table(title: str, headers: tuple[str, ...], rows: list[tuple]) -> Table:
    table = Table(title=title, title_justify="left")
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*map(_cell, row))
    return table


def print_claim(claim: dict) -> None:
    """Print one claim with its parties, figures, source, status history and edits."""
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
    if source.get("archive_url"):
        console.print(Text(f"Archived copy: {source['archive_url']}", style="dim"))
    kept = source.get("text")
    if kept:
        where = (
            f"; this claim is characters {claim['span_start']}-{claim['span_end']} of it"
            if claim.get("span_start") is not None
            else "; this claim's text is not found in it"
        )
        page = ", with its page" if kept["with_page"] else ""
        console.print(
            Text(
                f"Source text kept: {kept['characters']:,} characters{page}, stored {kept['stored_at']}, "
                f"SHA-256 {kept['sha256']}{where}",
                style="dim",
            )
        )
    if claim["said_on"]:
        console.print(Text(f"Said on {claim['said_on']}"))
    if claim["attributions"]:
        rows = [(a["actor"], a["role"], a["kind"], a["stated_on"]) for a in claim["attributions"]]
        console.print(_titled_table("Parties", ("actor", "role", "kind", "stated on"), rows))
    if claim["figures"]:
        rows = [(f["measure"], f["text"], f["low"], f["high"]) for f in claim["figures"]]
        console.print(_titled_table("Figures", ("measure", "value", "low", "high"), rows))
    rows = [(h["on"], h["from"], h["to"], h["reason"], h["evidence"], h["recorded_by"]) for h in claim["history"]]
    console.print(_titled_table("Status history", ("on", "from", "to", "reason", "evidence", "by"), rows))
    if claim["revisions"]:
        rows = [
            (
                r["recorded_at"],
                r["recorded_by"],
                r["field"],
                readable_value(r["field"], r["old_value"]),
                readable_value(r["field"], r["new_value"]),
                r["reason"],
            )
            for r in claim["revisions"]
        ]
        console.print(_titled_table("Edits", ("recorded", "by", "field", "was", "now", "reason"), rows))
    reports = claim.get("reports", [])
    if len(reports) > 1:
        rows = [
            (
                ("→ " if r["claim_id"] == claim["id"] else "") + str(r["claim_id"]),
                r["date"],
                r["outlet"] or r["source"],
                r["language"],
                r["text"],
            )
            for r in reports
        ]
        console.print(
            _titled_table(
                f"Reports of this claim ({len(reports)})", ("claim", "date", "outlet", "lang", "wording"), rows
            )
        )
    if claim.get("links"):
        rows = [
            (
                (link["phrase"] + (f" (report {link['report_id']})" if link["report_id"] != claim["id"] else "")),
                link["claim_id"],
                link["reason"],
            )
            for link in claim["links"]
        ]
        console.print(_titled_table("Links", ("this claim", "claim", "reason"), rows))
    if claim["notes"]:
        console.print(Text(f"Notes: {claim['notes']}", style="dim"))
