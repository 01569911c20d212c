"""``python -m detlint``."""

import os
import sys


def _drop_current_folder() -> None:
    """``python -m`` puts the current folder first on ``sys.path``: run inside a repository, that
    repository's ``tomllib.py`` or ``fnmatch.py`` would be imported instead of the standard
    library's, and run (pylint drops it too). detlint itself is already imported by now."""
    try:
        current = os.getcwd()
    except OSError:  # the folder was deleted: "" still stands for it
        current = None
    sys.path[:] = [entry for entry in sys.path
                   if entry not in ("", ".") and (current is None or os.path.abspath(entry) != current)]


_drop_current_folder()

from detlint.cli import console_main  # noqa: E402 - only once the current folder is off sys.path

console_main()
