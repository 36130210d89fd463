"""Command-line arguments shared by every management command.

Bad input ends the same way everywhere: one line on stderr naming the command and
what is wrong, exit status 2, nothing changed and no traceback. The argparse types
below check dates, files to read and files to write before a command starts work;
`OneLineErrorsMixin` makes argparse's own errors one line, refuses to run on a
database with migrations still to apply, and gives commands `refuse(message)` for what
they find after parsing.
"""

import argparse
import os
import re
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Far enough either way for any record, near enough that adding a renewal period or a
# reminder's 60 days to a date never leaves the calendar.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def date_argument(value):
    """argparse type for YYYY-MM-DD (exactly: 20250101 is refused) within EARLIEST-LATEST."""
    try:
        if not ISO_DATE.fullmatch(value):
            raise ValueError
        parsed = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date in the form YYYY-MM-DD"
        ) from None
    if not EARLIEST <= parsed <= LATEST:
        raise argparse.ArgumentTypeError(
            f"{value} is outside the dates Alongside works with ({EARLIEST} to {LATEST})"
        )
    return parsed


def input_file(value):
    """argparse type for a file to read: it must exist and be a file."""
    path = Path(value)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file: {value}")
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{value} is a directory, not a file")
    return path


def output_file(value):
    """argparse type for a file to write: its folder must exist and it is not a folder."""
    path = Path(value)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a directory; give a file name")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"no such folder: {path.parent}")
    return path


def today_from(option):
    return option or timezone.localdate()


_up_to_date = set()  # aliases seen fully migrated by this process


def unapplied_migrations(alias=DEFAULT_DB_ALIAS):
    """How many migrations the database still needs (0 when it is up to date)."""
    if alias in _up_to_date:
        return 0
    executor = MigrationExecutor(connections[alias])
    waiting = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if not waiting:
        _up_to_date.add(alias)
    return waiting


class OneLineErrorsMixin:
    """Argument errors as one line on stderr and exit status 2, without the usage dump.

    Commands that set up the database themselves (restore) set `needs_migrated_database`
    to False.
    """

    needs_migrated_database = True

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        self.command_name = subcommand

        def error(message):
            parser.exit(2, f"{subcommand}: error: {message}\n")

        parser.error = error
        self.parser = parser  # for refusals found after parsing, in the same words
        return parser

    def execute(self, *args, **options):
        if self.needs_migrated_database and unapplied_migrations():
            self.refuse("the database is not set up or not up to date: run `manage.py migrate`")
        return super().execute(*args, **options)

    def refuse(self, message):
        """Stop with one line on stderr and exit status 2."""
        name = getattr(self, "command_name", self.__class__.__module__.rsplit(".", 1)[-1])
        self.stderr.write(f"{name}: error: {message}")
        raise SystemExit(2)


@contextmanager
def replaced_when_complete(path):
    """A binary file to write that appears at `path` only once complete.

    Written under a temporary name beside `path` and renamed over it at the end, so a
    failure halfway leaves no partial file (and any earlier file at `path` untouched).
    A device or pipe (`/dev/null`, a FIFO) is written straight to: renaming over it
    would put a plain file in its place.
    """
    path = Path(path)
    if path.exists() and not path.is_file():
        with path.open("wb") as handle:
            yield handle
        return
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, then renamed
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial", delete=False
    )
    try:
        with handle:
            yield handle
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
