"""Command-line arguments shared by every management command: ISO dates, one-line errors."""

import argparse
from datetime import date

from django.utils import timezone


def date_argument(value):
    """argparse type for YYYY-MM-DD; a bad value exits 2 with a one-line reason."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date in the form YYYY-MM-DD"
        ) from None


def today_from(option):
    return option or timezone.localdate()


class OneLineErrorsMixin:
    """Argument errors as one line on stderr and exit status 2, without the usage dump."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)

        def error(message):
            parser.exit(2, f"{subcommand}: error: {message}\n")

        parser.error = error
        self.parser = parser  # for refusals found after parsing, in the same words
        return parser
