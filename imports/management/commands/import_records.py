"""python manage.py import_records KIND FILE [--dry-run] [--by USERNAME] [--today D]

The command-line twin of the workspace's import: the same checks, refused rows listed
one a line, then a one-line summary. It writes every new or updated row in one
transaction (refused rows are left out, as in the workspace), or with --dry-run nothing.

The history names who imported and verifies completions in their name: `--by` a manager,
or else the first administrator, since whoever runs commands on the server administers it.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from imports import reading
from imports.checks import checker_for
from imports.models import Kind
from imports.services import ChangedSincePreview, month_first_row, write_rows
from people import roles
from people.management.arguments import OneLineErrorsMixin, date_argument, today_from
from people.models import User


class Command(OneLineErrorsMixin, BaseCommand):
    help = "Import people, arrangements, completions or sessions from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=Kind.values)
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--by", help="Username of the manager importing (named in the history)."
        )
        parser.add_argument("--today", type=date_argument, help="Check as on D (YYYY-MM-DD).")

    def handle(self, *args, kind, file, dry_run, by, today, **options):
        today = today_from(today)
        manager = self.manager(by, dry_run)
        name = file.rsplit("/", 1)[-1]
        first_month_first = month_first_row(kind, self.rows(file, kind))
        checker = checker_for(
            kind, by=manager, file_name=name, today=today, month_first_row=first_month_first
        )
        tally = self.run(checker, file, kind, dry_run)
        if dry_run:
            summary = f"{name}: {tally} (dry run: nothing written)"
        else:
            summary = f"{name}: {tally}; {tally.new + tally.updated} written as {manager.username}"
        self.stdout.write(summary)

    def manager(self, username, dry_run):
        if username is None:
            if dry_run:
                return None
            administrator = User.objects.filter(is_superuser=True, is_active=True).order_by("pk")
            if not administrator.exists():
                self.parser.error("no administrator to import as: say who with --by USERNAME")
            return administrator.first()
        user = User.objects.filter(username=username).first()
        if user is None or not roles.is_manager(user):
            self.parser.error(f"--by {username}: no manager has that username")
        return user

    def rows(self, path, kind):
        try:
            with open(path, "rb") as file:
                _table, rows = reading.read(file, path, kind)
                yield from rows
        except OSError as error:
            self.parser.error(f"cannot open {path}: {error.strerror}")
        except reading.FileProblem as problem:
            self.parser.error(f"{path}: {problem}")

    def run(self, checker, path, kind, dry_run):
        def refused(number, verdict):
            self.stderr.write(f"row {number}: {verdict.reason}")

        rows = ((number, values, None) for number, values in self.rows(path, kind))
        try:
            with transaction.atomic():
                return write_rows(checker, rows, write=not dry_run, report_refusal=refused)
        except ChangedSincePreview as change:
            raise CommandError(f"nothing was imported: {change}", returncode=1) from None
