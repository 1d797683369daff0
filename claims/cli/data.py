"""The `claims` commands that move data in and out (import, export, extract) and keep it sound (check, backup).

They register on the same Typer app as the rest of the CLI; no SQL here either.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .. import model
from ..db import DEFAULT_DB
from ..errors import ClaimsError
from ..io.readers import FORMATS
from .base import DbOption, database, fail, progress_bar

commands = typer.Typer()


KEPT_SHOWN = 20  # lines of what an import kept that are printed


# The formats claims reads and writes (`io.readers.FORMATS`), as an option's choices.
FileFormat = StrEnum("FileFormat", {name: name for name in FORMATS})


@commands.command("import")
def import_(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="File or folder to import; - reads standard input.")],
    format: Annotated[
        FileFormat | None, typer.Option("--format", "-f", help="Input format (default: from the file name).")
    ] = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Import the valid records; write the rejected ones to --rejects.")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option(help="Where --skip-invalid writes rejected records (default: PATH.rejected.jsonl).")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option(help="YAML file mapping ClaimReview ratings to statuses (see README).")
    ] = None,
    prune: Annotated[
        bool,
        typer.Option(
            help="Also remove what recorded claims hold and the file does not (parties, figures, fields, links)."
        ),
    ] = False,
    create_actors: Annotated[
        bool, typer.Option(help="Record actors the file names but neither declares nor are known (kind 'other').")
    ] = False,
    match: Annotated[
        bool,
        typer.Option(
            help="Tell, for each new claim, the recorded claims it most likely repeats, updates or contradicts."
        ),
    ] = True,
    all_files: Annotated[
        bool,
        typer.Option("--all-files", help="A folder: read every file, not only those changed since the last import."),
    ] = False,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Import claims from YAML (file or folder), JSON Lines, CSV or ClaimReview JSON-LD/HTML.

    The whole input is checked first: if any record is invalid, nothing is written and every
    problem is listed. An unknown actor is a problem (with close matches) unless the file declares
    it or --create-actors is given. Importing the same file twice adds nothing; re-importing an
    edited file applies what it adds or changes (kept as revisions) and appends new status changes.
    What a recorded claim holds and the file does not mention (a stance recorded since the export,
    a figure, a field, a link) is kept and listed; --prune removes it, each removal recorded.
    A folder (and its subfolders) is read again only for the files changed since its last import (--all-files
    reads all).

    Example: claims import claims.yml        claims import claims/        claims import archive.jsonl --skip-invalid        claims import edited.yml --prune
    """
    from ..io.imports import import_path

    with database(db_path) as db, _input_file(path, format) as (source, chosen):
        rejects_path = rejects or Path(f"{source}.rejected.jsonl")
        claimreview_mapping = _load_mapping(mapping) if mapping else None
        first_new = model.next_claim_id(db)
        with _rejects_file(rejects_path if skip_invalid else None) as rejected, progress_bar("Importing") as progress:
            if source.is_dir():
                from ..io.repo_build import import_folder

                folder = import_folder(
                    db,
                    source,
                    all_files=all_files,
                    skip_invalid=skip_invalid,
                    rejects=rejected,
                    progress=progress,
                    prune=prune,
                    create_actors=create_actors,
                )
                summary = folder.summary
                summary.notes += [f"{folder.describe().partition(';')[0]}", *folder.stale_notes()]
            else:
                summary = import_path(
                    db,
                    source,
                    format=chosen,
                    skip_invalid=skip_invalid,
                    rejects=rejected,
                    mapping=claimreview_mapping,
                    progress=progress,
                    prune=prune,
                    create_actors=create_actors,
                )
        suggestions = _suggestions(db, first_new, summary.added) if match else {}
    typer.echo(f"Imported {path}: {summary.describe()}", err=True)
    if suggestions:
        from .links import print_suggestions

        print_suggestions(suggestions)
    for name in summary.created_actors:
        typer.echo(f"  new actor: {name} (kind 'other'; 'claims actor merge' if it is a misspelling)", err=True)
    for line in summary.removed:
        typer.echo(f"  removed {line} (kept in the claim's revisions)", err=True)
    for line in summary.links_removed:
        typer.echo(f"  removed {line} (kept in the history of links)", err=True)
    for line in summary.kept[:KEPT_SHOWN]:
        typer.echo(f"  kept {line}: not in the file (--prune removes it)", err=True)
    if len(summary.kept) > KEPT_SHOWN:
        typer.echo(f"  ... and {len(summary.kept) - KEPT_SHOWN} more kept", err=True)
    if summary.rejected:
        typer.echo(f"Rejected records written to {rejects_path}", err=True)
    for problem in summary.problems:
        typer.echo(f"  rejected {problem}", err=True)
    for note in summary.notes:
        typer.echo(f"  note: {note}", err=True)


def _suggestions(db, first_new: int, added: int) -> dict:
    """Candidate links of an import's new claims; a large import is left to 'claims match --source'."""
    from ..matching import suggestions_for
    from .links import MATCHED_ON_IMPORT

    if not added:
        return {}
    if added > MATCHED_ON_IMPORT:
        typer.echo(f"  {added} new claims: 'claims match --source REF' lists the recorded claims they repeat", err=True)
        return {}
    return suggestions_for(db, model.claim_ids_from(db, first_new))


class Layout(StrEnum):
    file = "file"
    folder = "folder"


@commands.command()
def export(
    format: Annotated[FileFormat, typer.Option("--format", "-f", help="Output format.")] = FileFormat.yaml,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write (default: standard output).")
    ] = None,
    reviewer: Annotated[str, typer.Option(help="ClaimReview: the organisation publishing the reviews.")] = "claims",
    reviewer_url: Annotated[str | None, typer.Option(help="ClaimReview: the reviewer's web site.")] = None,
    base_url: Annotated[
        str | None, typer.Option(help="ClaimReview: public URL of this Datasette, for each review's url.")
    ] = None,
    mapping: Annotated[Path | None, typer.Option(help="ClaimReview: YAML file mapping statuses to ratings.")] = None,
    layout: Annotated[
        Layout, typer.Option(help="YAML: one file, or a folder (-o) of actors.yml and one file per source for git.")
    ] = Layout.file,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Export every claim as YAML claims-as-code, JSON Lines, CSV or ClaimReview JSON-LD.

    YAML keeps everything (history, stance dates and sources, sources' stored texts and claims' spans) and imports
    back identically, but for the pages sources' texts were read from; JSON Lines keeps those too (base64).

    Example: claims export --format yaml -o claims.yml     claims export -f claimreview --base-url https://factcheck.example.org
             claims export --layout folder -o newsroom-claims   (a claims repository: see claims repo init)
    """
    from ..io import writers

    if layout is Layout.folder:
        from .repo import export_folder

        return export_folder(db_path, output, format.value)

    with database(db_path) as db, _output_file(output) as out:
        if format is FileFormat.yaml:
            count = writers.write_yaml(db, out)
        elif format is FileFormat.jsonl:
            count = writers.write_jsonl(
                writers.iter_claims(db), out, writers.actor_records(db), writers.source_declarations(db)
            )
        elif format is FileFormat.csv:
            count = writers.write_csv(writers.iter_claims(db), out)
            typer.echo(
                "Note: CSV keeps actor names only (no kind, country or alias), stance names without their dates or "
                "sources, the initial status without later changes, and no source text or span (links are kept, as "
                "JSON in the links column); YAML and JSON Lines keep everything (YAML all but the pages texts were "
                "read from)",
                err=True,
            )
        else:
            reviewer_org = {"name": reviewer, **({"url": reviewer_url} if reviewer_url else {})}
            count = writers.write_claimreviews(
                db, out, reviewer=reviewer_org, mapping=_load_mapping(mapping), base_url=base_url
            )
    typer.echo(
        f"Exported {count} {'reviews' if format is FileFormat.claimreview else 'claims'}"
        + (f" to {output}" if output else ""),
        err=True,
    )


def _load_mapping(path: Path | None):
    """The ClaimReview rating mapping: the default, or the user's file."""
    from ..io.claimreview import DEFAULT_MAPPING, load_mapping

    return load_mapping(path) if path else DEFAULT_MAPPING


@contextmanager
def _input_file(path: Path, format: FileFormat | None):
    """The file to import and its format; standard input is copied to a temporary file first."""
    import shutil
    import tempfile

    if str(path) != "-":
        if not path.exists():
            raise ClaimsError(f"no such file or folder: {path}")
        yield path, format.value if format else None
        return
    if format is None:
        raise ClaimsError("reading standard input needs --format")
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / f"stdin.{format.value}"
        with copy.open("wb") as f:
            shutil.copyfileobj(sys.stdin.buffer, f)
        yield copy, format.value


@contextmanager
def _rejects_file(path: Path | None):
    if path is None:
        yield None
        return
    with path.open("w", encoding="utf-8") as f:
        yield f


@contextmanager
def _output_file(path: Path | None):
    """Standard output, or a file replaced only once everything is written."""
    if path is None:
        yield sys.stdout
        return
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as f:
            yield f
        partial.replace(path)
    except OSError as e:
        raise ClaimsError(f"cannot write {path}: {e.strerror}") from None
    finally:
        partial.unlink(missing_ok=True)


@commands.command()
def extract(
    article: Annotated[
        Path, typer.Argument(metavar="ARTICLE", help="Saved page (.html, .htm) or text file (UTF-8) of a news article.")
    ],
    lang: Annotated[str | None, typer.Option(help="fr or en (default: detected).")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Draft YAML to write (default: standard output).")
    ] = None,
    match: Annotated[
        bool,
        typer.Option(
            help="Write under each drafted claim the recorded claims it most likely repeats, updates or contradicts."
        ),
    ] = True,
    record: Annotated[
        bool,
        typer.Option(help="Record the article's source in the database with its text (and page), kept as evidence."),
    ] = False,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Draft the attributed claims of an article as YAML, to review, edit and 'claims import'.

    A saved page is read for its main text, title, site name, date, language and canonical URL; a text file for
    its header lines. Actors already in the database are recognised by any of their names; others are proposed. A
    figure takes the measure name the database already uses for the same count (killed for "bodies" or "morts");
    its notes say when a new name is proposed. A drafted claim that most likely repeats, updates or contradicts a
    recorded one gets it under `links`, as a suggestion to keep or delete before importing. With --record, the
    source is recorded with the article's text (a source already recorded keeps it), so that the claims imported
    from the draft record where they are in it.

    Example: claims extract article.txt -o draft.yml && $EDITOR draft.yml && claims import draft.yml
             claims extract saved/page.html --record -o draft.yml
    """
    from ..io.extract import extract_claims, write_draft
    from .sources import read_article_or_fail

    if lang is not None and parse_language_or_fail(lang) not in ("fr", "en"):
        fail(f"invalid language {lang!r}: extract reads fr or en")
    page = read_article_or_fail(article)
    suggested, recorded = 0, None
    if Path(db_path).is_file() or record:
        with database(db_path) as db:
            bundle = extract_claims(
                page.text,
                language=lang,
                known_actors=model.actor_keys(db),
                actor_kinds=model.actor_kinds(db),
                known_measures=model.measure_names(db),
                source=page.source_fields(),
            )
            suggested = _suggest_links(db, bundle) if match else 0
            if record:
                recorded = _record_source(db, bundle["sources"][0], page)
    else:
        bundle = extract_claims(page.text, language=lang, source=page.source_fields())
    with _output_file(output) as out:
        out.write(write_draft(bundle))
    if recorded:
        typer.echo(
            f"Source {recorded[0]}: text {recorded[1]} ({len(page.text):,} characters"
            + (", with its page)" if page.html is not None else ")"),
            err=True,
        )
    typer.echo(f"{len(bundle['claims'])} candidate claims drafted" + (f" in {output}" if output else ""), err=True)
    if suggested:
        typer.echo(
            f"  {suggested} of them may repeat, revise or contradict recorded claims: see their 'links'", err=True
        )


def _record_source(db, source: dict, page) -> tuple[int, str]:
    """Record the drafted source with the article's text, or keep the text on the source already recorded."""
    from ..registry import keep_source

    fields = {name: source.get(name) for name in ("title", "url", "outlet", "published", "language")}
    source_id = model.find_matching_source(db, **fields)
    if source_id is None:
        return model.add_source(db, **fields, text=page.source_text()), "kept"
    outcome = keep_source(db, source_id, text=page.source_text())
    return source_id, {"stored": "kept", "unchanged": "already kept"}[outcome["text"]]


def _suggest_links(db, bundle: dict) -> int:
    """Write into each drafted claim the recorded claims it most likely repeats, updates or contradicts."""
    from ..matching import draft_links

    source = (bundle.get("sources") or [{}])[0]
    count = 0
    for claim in bundle["claims"]:
        links = draft_links(db, claim, source.get("language"), source)
        if links:
            claim["links"] = links
            count += 1
    return count


def parse_language_or_fail(value: str) -> str:
    from ..values import parse_language

    try:
        return parse_language(value)
    except ClaimsError as e:
        fail(str(e))


@commands.command("check")
def check_(
    repair: Annotated[
        bool, typer.Option("--repair", help="Rebuild what is derived: full-text index, actor columns, statuses.")
    ] = False,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Verify the database: SQLite integrity, foreign keys, full-text index, derived columns, statuses.

    Exits 1 and names each problem if any is found. With --repair, rebuilds what is derived first.

    Example: claims check        claims check --repair
    """
    from ..maintenance import check
    from ..maintenance import repair as repair_database

    with database(db_path) as db:
        if repair:
            for line in repair_database(db):
                typer.echo(f"repaired {line}", err=True)
        problems = check(db)
        claims_count = db["claims"].count
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        fail(
            f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in {db_path}"
            + ("" if repair else "; 'claims check --repair' rebuilds what is derived")
        )
    typer.echo(f"{db_path}: no problem found ({claims_count} claims)", err=True)


@commands.command("backup")
def backup_(
    target: Annotated[Path, typer.Argument(metavar="PATH", help="New file to write the copy to.")],
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Copy the database to PATH, consistently, even while others are writing (SQLite backup API).

    Example: claims backup backups/claims-2025-09-01.db
    """
    from ..maintenance import backup

    with database(db_path) as db:
        count = backup(db, target)
    typer.echo(f"Backed up {count} claims to {target}", err=True)
