"""`python -m claims` runs the CLI."""

from .cli import app

app(prog_name="claims")
