"""Publishing the database with Datasette: read-only, configured by metadata.yml."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

from .errors import ClaimsError, InvalidValue

METADATA_FILE = "metadata.yml"
METADATA_DATABASE = "claims"
LOCAL_HOSTS = {"localhost", "localhost.localdomain"}


def metadata_path() -> Path:
    """metadata.yml shipped with the package, or at the top of a source checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / METADATA_FILE, package.parent / METADATA_FILE):
        if candidate.is_file():
            return candidate
    raise ClaimsError(f"cannot find {METADATA_FILE} next to the claims package")


def load_metadata(database_name: str) -> dict:
    """The Datasette metadata, its `claims` database section renamed to `database_name`."""
    import yaml

    metadata = yaml.safe_load(metadata_path().read_text(encoding="utf-8"))
    databases = metadata.get("databases", {})
    if METADATA_DATABASE in databases and database_name != METADATA_DATABASE:
        databases[database_name] = databases.pop(METADATA_DATABASE)
    return metadata


def build_datasette(db_path: str | Path):
    """A Datasette instance serving `db_path` read-only with the project's metadata."""
    from datasette.app import Datasette

    db_path = Path(db_path)
    return Datasette([str(db_path)], metadata=load_metadata(db_path.stem))


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


def serve(db_path: str | Path, *, host: str, port: int) -> None:
    """Serve the database with Datasette until interrupted."""
    import asyncio

    import uvicorn

    datasette = build_datasette(db_path)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
