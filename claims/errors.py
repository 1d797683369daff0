"""Exceptions with user-facing, one-line messages."""


class ClaimsError(Exception):
    """Base class: the message is shown to the user as-is, on one line."""


class InvalidValue(ClaimsError):
    """A value given by the user is malformed (date, URL, figure, status...)."""


class NotFound(ClaimsError):
    """A claim, source or actor that was referred to does not exist."""


class AlreadyExists(ClaimsError):
    """Recording this would duplicate something already in the database."""


class DatabaseProblem(ClaimsError):
    """The database file cannot be used (missing, not SQLite, too new...)."""
