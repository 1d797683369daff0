"""Publishing the database with Datasette: read-only, configured by metadata.yml."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ClaimsError, InvalidValue
from ..maintenance import table_counts

if TYPE_CHECKING:
    pass

METADATA_FILE = "metadata.yml"
DATABASE_NAME = "claims"
LOCAL_HOSTS = {"localhost", "localhost.localdomain"}


def metadata_path() -> Path:
    """metadata.yml shipped with the package, or at the top of a source checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / METADATA_FILE, package.parent / METADATA_FILE):
        if candidate.is_file():
            return candidate
    raise ClaimsError(f"cannot find {METADATA_FILE} next to the claims package")


def load_metadata() -> dict:
    """The Datasette metadata from metadata.yml."""
    import yaml

    return yaml.safe_load(metadata_path().read_text(encoding="utf-8"))


SETTINGS = {
    # Bounds on what one request may cost, whatever SQL a visitor sends.
    "sql_time_limit_ms": 1000,
    "facet_time_limit_ms": 500,
    # Suggestions group every column of every table on each page view: seconds at a million claims.
    "suggest_facets": False,
    "max_returned_rows": 1000,
    "num_sql_threads": 3,
}


def build_datasette(db_path: str | Path, *, allow_robots: bool = False, immutable: bool = False):
    """A Datasette instance serving `db_path` read-only as the `claims` database, whatever the file's name.

    A fixed name keeps every URL, canned query and dashboard in metadata.yml valid.
    Search engines are asked to stay away (robots.txt) unless `allow_robots`.
    `immutable` is for a published copy that nothing writes to: Datasette opens it
    without locking and takes every table's row count once (its `inspect` data).
    """
    from datasette.app import Datasette
    from datasette.database import Database

    metadata = load_metadata()
    metadata.setdefault("plugins", {}).setdefault("claims", {})["allow_robots"] = allow_robots
    datasette = Datasette(metadata=metadata, settings=SETTINGS)
    datasette.remove_database("_memory")
    database = Database(datasette, path=str(Path(db_path)), is_mutable=not immutable)
    datasette.add_database(database, name=DATABASE_NAME)
    if immutable:
        # No content hash: Datasette would read the whole file for it, and serves no hashed URLs anyway.
        inspected = {"hash": None, "size": Path(db_path).stat().st_size, "tables": table_counts(db_path)}
        datasette.inspect_data = {DATABASE_NAME: inspected}
    return datasette


def is_local(host: str) -> bool:
    """True if `host` only accepts connections from this machine."""
    if host.lower() in LOCAL_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, public: bool) -> None:
    """Refuse to bind beyond this machine unless publishing was asked for explicitly."""
    if not is_local(host) and not public:
        raise InvalidValue(f"refusing to serve on {host}, which other machines can reach: pass --public to publish")


def check_port(host: str, port: int) -> None:
    """Refuse early, with a clear message, a port that is already taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError as e:
            raise InvalidValue(f"cannot listen on {host}:{port}: {e.strerror}; pass --port to use another") from None


def serve(db_path: str | Path, *, host: str, port: int, allow_robots: bool = False, immutable: bool = False) -> None:
    """Serve the database with Datasette until interrupted."""
    import asyncio

    import uvicorn

    datasette = build_datasette(db_path, allow_robots=allow_robots, immutable=immutable)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
