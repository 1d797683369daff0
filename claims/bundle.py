"""The bundled example: the claims of the seed article, as a claims-as-code YAML file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlite_utils import Database

from .importer import ImportSummary
from .interchange import import_path

EXAMPLE = "seed-article.yml"


def example_path() -> Path:
    """Path of the bundled example: the claims of the seed article."""
    return Path(str(resources.files("claims") / "example" / EXAMPLE))


def load_example(db: Database) -> ImportSummary:
    """Import the bundled example into `db` (adding nothing that is already there)."""
    return import_path(db, example_path(), format="yaml")
