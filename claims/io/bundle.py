"""The bundled example: the claims of the seed article and of a later report of its story, as claims-as-code YAML.

`claims/example/` holds the ATS story of 30 August 2025 (seed-article.yml, real) and a follow-up of 24 September
2025 invented for the demo (seed-follow-up-2025-09-24.yml), whose claims are linked to the seed's: the same
claims reported again, Seoul's toll updated, and KCNA contradicting it.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from sqlite_utils import Database

from .importer import ImportSummary
from .imports import import_path

EXAMPLE = "seed-article.yml"
FOLLOW_UP = "seed-follow-up-2025-09-24.yml"


def example_folder() -> Path:
    """The folder of the bundled example's YAML files, read in name order: the seed article first."""
    return Path(str(resources.files("claims") / "example"))


def example_path() -> Path:
    """Path of the seed article's claims (the ATS story), the bundled example's first report."""
    return example_folder() / EXAMPLE


def load_example(db: Database) -> ImportSummary:
    """Import the bundled example, both articles and their links, into `db` (adding nothing already there)."""
    return import_path(db, example_folder(), format="yaml")


def load_seed_article(db: Database) -> ImportSummary:
    """Import the seed article's claims only (the ATS story, without the report invented for the demo)."""
    return import_path(db, example_path(), format="yaml")
