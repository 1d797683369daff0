"""The `claims` command line: parse arguments, call the model, print. No SQL here.

`base` holds the app and what every command shares; each other module holds a group of commands
on a Typer app of its own, added to the main one here.
"""

from . import claim_commands, data, links, repo, serving, sources
from .base import app

for group in (claim_commands, sources, data, links, repo, serving):
    app.add_typer(group.commands)

__all__ = ["app"]
