"""Where the database lives and how it is opened: the one place that migrates."""

from __future__ import annotations

import datetime
import getpass
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from .errors import DatabaseProblem
from .migrations import known_migration_names, migrations
from .values import MAX_NAME_LENGTH, optional_text

DEFAULT_DB = Path("db") / "claims.db"
ENV_VAR = "CLAIMS_DB"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000
BULK_CACHE_MB = 32


def default_db_path() -> Path:
    """The database path from $CLAIMS_DB, else db/claims.db."""
    return Path(os.environ.get(ENV_VAR) or DEFAULT_DB)


def open_db(path: str | Path | None = None, *, create: bool = False) -> Database:
    """Open (and, with `create`, create) the claims database at `path`, upgrading its schema.

    Refuses a directory, a file that is not SQLite, a missing file (unless
    `create`) and a database written by a newer version of claims.
    """
    path = Path(path) if path else default_db_path()
    is_new = _check_file(path, create=create)
    if is_new:
        path.parent.mkdir(parents=True, exist_ok=True)
    read_only = not is_new and _is_read_only(path)
    db = Database(_connect(path, read_only=read_only), execute_plugins=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        if is_new:
            db.enable_wal()
        applied = _applied_steps(db)
        unknown = set(applied) - set(known_migration_names())
        if unknown:
            raise DatabaseProblem(
                f"{path} was written by a newer version of claims (schema steps {', '.join(sorted(unknown))}): upgrade claims"
            )
        if not create and not applied:
            raise DatabaseProblem(f"{path} is not a claims database: run 'claims init --db {path}' to set it up")
        if len(applied) < len(known_migration_names()):
            if read_only:
                raise DatabaseProblem(
                    f"{path} is read-only and needs a schema upgrade: make it writable and run 'claims init'"
                )
            migrations.apply(db)
    except sqlite3.DatabaseError as e:
        db.close()
        raise DatabaseProblem(f"cannot use database {path}: {e}") from None
    except DatabaseProblem:
        db.close()
        raise
    return db


def open_read_only(path: str | Path | None = None, *, timeout: float = 0.2) -> Database:
    """Open an existing claims database to read a few rows, leaving every file exactly as it was.

    For shell completion: unlike open_db() it never creates, migrates or writes, and waits
    at most `timeout` seconds for a lock. A database at rest (no -wal file) is opened
    `immutable`, so that not even -wal/-shm files appear; one in use is opened `mode=ro`.
    Raises DatabaseProblem when there is no claims database at `path`.
    """
    path = Path(path) if path else default_db_path()
    _check_file(path, create=False)
    in_use = path.with_name(path.name + "-wal").exists()
    uri = f"{path.resolve().as_uri()}?{'mode=ro' if in_use else 'immutable=1'}"
    db = Database(sqlite3.connect(uri, uri=True, timeout=timeout), execute_plugins=False)
    try:
        applied = _applied_steps(db)
    except sqlite3.DatabaseError as e:
        db.close()
        raise DatabaseProblem(f"cannot use database {path}: {e}") from None
    if not applied:
        db.close()
        raise DatabaseProblem(f"{path} is not a claims database")
    return db


def _applied_steps(db: Database) -> list[str]:
    """Names of the claims schema steps already applied (one query; none for a blank database)."""
    try:
        rows = db.execute("select name from _sqlite_migrations where migration_set = ?", [migrations.name]).fetchall()
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):
            return []
        raise
    return [row[0] for row in rows]


def _is_read_only(path: Path) -> bool:
    """True when the file has no write permission bit: honoured even for root, who could write anyway."""
    return not path.stat().st_mode & 0o222


def _connect(path: Path, *, read_only: bool) -> sqlite3.Connection:
    if read_only:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    return sqlite3.connect(str(path))


def _check_file(path: Path, *, create: bool) -> bool:
    """Raise if `path` cannot be a claims database; return True if it does not exist yet."""
    if path.is_dir():
        raise DatabaseProblem(f"{path} is a directory, not a database file")
    if not path.exists():
        if create:
            return True
        raise DatabaseProblem(f"no database at {path}: run 'claims init' first, or pass --db")
    try:
        with path.open("rb") as f:
            header = f.read(len(SQLITE_HEADER))
    except OSError as e:
        raise DatabaseProblem(f"cannot read {path}: {e.strerror}") from None
    if header and header != SQLITE_HEADER:
        raise DatabaseProblem(f"{path} is not a SQLite database")
    return False


@contextmanager
def write_transaction(db: Database) -> Iterator[Database]:
    """One write transaction: all of it lands or none of it does.

    It takes the write lock at once (BEGIN IMMEDIATE), so that a concurrent writer
    waits up to the busy timeout instead of failing half-way; inside another
    transaction it is a savepoint.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    db.conn.execute("COMMIT")


@contextmanager
def bulk_writes(db: Database, cache_mb: int = BULK_CACHE_MB) -> Iterator[Database]:
    """A larger page cache while writing many rows at once: the indexes they go into stay in memory."""
    previous = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{cache_mb * 1024}")
    try:
        yield db
    finally:
        db.execute(f"PRAGMA cache_size = {previous}")


@contextmanager
def unchecked_references(db: Database) -> Iterator[Database]:
    """Foreign keys not checked row by row, around a transaction whose writer resolves every reference itself."""
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        yield db
    finally:
        db.execute("PRAGMA foreign_keys = ON")


def now() -> str:
    """The current UTC time as an ISO 8601 string, to the second."""
    return datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_user(given: str | None = None) -> str:
    """Who is recording: `given`, else $CLAIMS_USER, else the login name."""
    name = optional_text(given, "user name", MAX_NAME_LENGTH) or optional_text(os.environ.get("CLAIMS_USER"))
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
