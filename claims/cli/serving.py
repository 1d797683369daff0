"""`claims serve` and `claims demo`: Datasette, read-only, on this machine unless told otherwise."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..db import DEFAULT_DB
from .base import DbOption, database

commands = typer.Typer()


HostOption = Annotated[str, typer.Option(help="Interface to bind; other than localhost needs --public.")]


PortOption = Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)]


PublicOption = Annotated[bool, typer.Option(help="Allow binding to an address other machines can reach.")]


RobotsOption = Annotated[bool, typer.Option(help="Let search engines index the pages (robots.txt allows them).")]


@commands.command()
def serve(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8001,
    public: PublicOption = False,
    allow_robots: RobotsOption = False,
    immutable: Annotated[
        bool,
        typer.Option(help="For a published copy nothing writes to: no locking, table counts taken once at start."),
    ] = False,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Browse the database in Datasette, read-only, on http://127.0.0.1:8001 by default.

    Example: claims serve --port 8002
    """
    _serve(db_path, host, port, public, allow_robots, immutable)


@commands.command()
def demo(
    host: HostOption = "127.0.0.1",
    port: PortOption = 8001,
    public: PublicOption = False,
    allow_robots: RobotsOption = False,
    db_path: DbOption = DEFAULT_DB,
) -> None:
    """Create the database, load the bundled example (once) and serve it. What 'make demo' runs.

    Example: claims demo --port 8002
    """
    from ..io.bundle import load_example

    with database(db_path, create=True) as db:
        summary = load_example(db)
        total = db["claims"].count
    typer.echo(f"Example loaded into {db_path}: {summary.describe()} ({total} claims in all)", err=True)
    _serve(db_path, host, port, public, allow_robots)


def _serve(
    db_path: Path, host: str, port: int, public: bool, allow_robots: bool = False, immutable: bool = False
) -> None:
    from ..web.server import check_host, check_port, serve

    with database(db_path):
        check_host(host, public)
        check_port(host, port)
    display_host = f"[{host}]" if ":" in host else host
    url = f"http://{display_host}:{port}/"
    typer.echo(f"Serving {db_path} read-only at {url}  (Ctrl+C to stop)")
    typer.echo(f"Claims: {url}claims/claims   Dashboard: {url}-/dashboards/claims-overview")
    serve(db_path, host=host, port=port, allow_robots=allow_robots, immutable=immutable)
