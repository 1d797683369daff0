"""The claims Datasette plugin, registered through the `datasette` entry point."""

import datasette.handle_exception
from datasette import hookimpl  # noqa: F401  (hook implementations are added here as the UI grows)

# Datasette 0.65 prints every error page, 404s included, as a Rich traceback
# with local variables whenever Rich is importable (Typer brings it), and with
# Rich 15 that call itself fails for 404s raised outside an `except` block.
# Without Rich it answers the same error pages and logs real errors plainly.
datasette.handle_exception.rich = None
