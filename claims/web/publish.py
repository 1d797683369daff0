"""Publishing a built database: the folder and the command that `datasette publish` / `datasette package` need.

`stage` writes a folder that deploys as it is: the database (as `claims.db`, whatever it was called, so that
metadata.yml's URLs hold), its row counts, metadata.yml (robots kept out unless asked), the claims source (the
Datasette plugin is the `claims` package), requirements.txt and a Dockerfile serving the database immutable with
the same limits as `claims serve`. `datasette_command` is the `datasette publish` command to run in that folder.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from ..errors import ClaimsError, InvalidValue
from .server import DATABASE_NAME, SETTINGS, load_metadata

TARGETS = ("cloudrun", "fly", "package")
DATABASE_FILE = f"{DATABASE_NAME}.db"
COUNTS_FILE = "inspect-data.json"  # the name `datasette publish` and `datasette package` give it
SOURCE_FOLDER = "claims-src"
PORT = 8001
PYTHON_IMAGE = "python:3.12-slim"
SOURCE_FILES = ("pyproject.toml", "README.md", "metadata.yml")
SERVICE_NAME = re.compile(r"[a-z][a-z0-9-]{0,62}")  # what Cloud Run and Fly accept as a service or app name
TOOLS = {"cloudrun": "gcloud", "fly": "flyctl", "package": "docker"}  # what `datasette publish` itself runs


@dataclass
class Staged:
    """A folder ready to deploy, and how to deploy it."""

    folder: Path
    target: str
    command: list[str]  # `datasette publish ...` / `datasette package ...`, run in `folder`
    deploy: str  # the same without datasette: the platform's own command on the folder's Dockerfile
    files: list[str]


def publish_settings(*, allow_download: bool = False) -> dict:
    """`claims serve`'s limits, with downloading the database file off unless asked."""
    return {**SETTINGS, "allow_download": allow_download}


def setting_options(settings: dict) -> list[str]:
    """The settings as `datasette serve` options: --setting NAME VALUE (booleans as on/off)."""
    options = []
    for name, value in settings.items():
        options += ["--setting", name, ("on" if value else "off") if isinstance(value, bool) else str(value)]
    return options


def serve_command(*, allow_download: bool = False) -> str:
    """The shell command the image runs: Datasette on $PORT, the database immutable, with its counts and limits."""
    settings = setting_options(publish_settings(allow_download=allow_download))
    argv = [
        "datasette",
        "serve",
        "--host",
        "0.0.0.0",
        "-i",
        DATABASE_FILE,
        "--inspect-file",
        COUNTS_FILE,
        "--metadata",
        "metadata.yml",
        *settings,
    ]
    return shlex.join(argv) + ' --port "$PORT"'


def source_root() -> Path:
    """The claims source tree (pyproject.toml, README.md, metadata.yml, claims/) this package runs from."""
    root = Path(__file__).resolve().parents[2]
    if not all((root / name).is_file() for name in SOURCE_FILES):
        raise ClaimsError(
            f"claims publish needs the claims source tree ({', '.join(SOURCE_FILES)} next to the claims "
            f"package), not found in {root}: run it from a checkout of claims"
        )
    return root


def stage(
    db_path: Path,
    folder: Path,
    target: str,
    *,
    service: str = "claims",
    allow_robots: bool = False,
    allow_download: bool = False,
) -> Staged:
    """Write `folder` (new or empty) with everything a deployment of `db_path` needs; return how to deploy it."""
    import yaml

    from ..db import open_db
    from ..maintenance import backup, write_counts

    if target not in TARGETS:
        raise InvalidValue(f"unknown target {target!r}: expected one of {', '.join(TARGETS)}")
    if not SERVICE_NAME.fullmatch(service):
        raise InvalidValue(f"--service {service!r}: lowercase letters, digits and hyphens, a letter first, at most 63")
    if not db_path.is_file():
        raise InvalidValue(f"no database at {db_path}: build one first ('claims build claims/ -o {db_path}')")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InvalidValue(f"{folder} exists and is not an empty folder: pass -o NEW_FOLDER")
    root = source_root()
    folder.mkdir(parents=True, exist_ok=True)
    db = open_db(db_path)
    try:
        backup(db, folder / DATABASE_FILE)  # consistent even while something writes, and one file
    finally:
        db.close()
    write_counts(folder / DATABASE_FILE, folder / COUNTS_FILE)
    metadata = load_metadata()
    metadata.setdefault("plugins", {}).setdefault("claims", {})["allow_robots"] = allow_robots
    (folder / "metadata.yml").write_text(yaml.safe_dump(metadata, allow_unicode=True, sort_keys=False), "utf-8")
    source = folder / SOURCE_FOLDER
    source.mkdir()
    for name in SOURCE_FILES:
        shutil.copy2(root / name, source / name)
    shutil.copytree(root / "claims", source / "claims", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    pins = [f"{name}=={importlib.metadata.version(name)}" for name in ("datasette", "datasette-dashboards")]
    (folder / "requirements.txt").write_text("\n".join([f"./{SOURCE_FOLDER}", *pins]) + "\n", "utf-8")
    (folder / "Dockerfile").write_text(_dockerfile(allow_download), "utf-8")
    if target == "fly":
        (folder / "fly.toml").write_text(_fly_toml(service), "utf-8")
    files = sorted(path.name for path in folder.iterdir())
    command = datasette_command(target, service=service, allow_download=allow_download)
    return Staged(folder, target, command, _deploy_command(target, folder, service), files)


def datasette_command(target: str, *, service: str = "claims", allow_download: bool = False) -> list[str]:
    """The `datasette publish` (or `package`) command that deploys a staged folder, run in it."""
    extra = " ".join(setting_options(publish_settings(allow_download=allow_download)))
    common = [
        "--metadata",
        "metadata.yml",
        "--install",
        f"./{SOURCE_FOLDER}",
        "--static",
        f"{SOURCE_FOLDER}:{SOURCE_FOLDER}",
        "--extra-options",
        extra,
    ]
    if target == "cloudrun":
        return ["datasette", "publish", "cloudrun", DATABASE_FILE, "--service", service, *common]
    if target == "fly":
        return ["datasette", "publish", "fly", DATABASE_FILE, "--app", service, *common]
    return ["datasette", "package", DATABASE_FILE, "--tag", service, *common]


def missing_tool(target: str) -> str | None:
    """What running the target's `datasette publish` lacks on this machine, in words; None if nothing."""
    if target == "fly" and importlib.util.find_spec("datasette_publish_fly") is None:
        return "datasette publish fly needs its plugin: pip install datasette-publish-fly"
    tool = TOOLS[target]
    if shutil.which(tool) is None:
        return f"datasette {'package' if target == 'package' else 'publish ' + target} needs {tool} on the PATH"
    return None


def _deploy_command(target: str, folder: Path, service: str) -> str:
    where = shlex.quote(str(folder))
    if target == "cloudrun":
        return f"gcloud run deploy {shlex.quote(service)} --source {where} --allow-unauthenticated"
    if target == "fly":
        return f"flyctl deploy {where} --config {shlex.quote(str(folder / 'fly.toml'))}"
    return f"docker build -t {shlex.quote(service)} {where} && docker run -p {PORT}:{PORT} {shlex.quote(service)}"


def _dockerfile(allow_download: bool) -> str:
    return f"""# Serves claims.db read-only (immutable), with the claims plugin, metadata.yml and claims serve's limits.
# Build: docker build -t claims .    Run: docker run -p {PORT}:{PORT} claims    (Cloud Run and Fly set $PORT)
FROM {PYTHON_IMAGE}
WORKDIR /app
COPY requirements.txt ./
COPY {SOURCE_FOLDER} ./{SOURCE_FOLDER}
RUN pip install --no-cache-dir -r requirements.txt
COPY {DATABASE_FILE} {COUNTS_FILE} metadata.yml ./
ENV PORT={PORT}
EXPOSE {PORT}
CMD {serve_command(allow_download=allow_download)}
"""


def _fly_toml(app: str) -> str:
    return f"""# flyctl deploy . (from this folder): the Dockerfile next to this file, served on Fly's HTTPS
app = "{app}"

[build]
  dockerfile = "Dockerfile"

[env]
  PORT = "{PORT}"

[http_service]
  internal_port = {PORT}
  force_https = true
  auto_stop_machines = "stop"
  auto_start_machines = true
  min_machines_running = 0
"""
