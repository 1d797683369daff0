"""claims: a fact-check claim tracker built on SQLite, sqlite-utils and Datasette."""

__version__ = "0.1.0"
