from django.core.management.base import BaseCommand

from audit.context import AuditedCommandMixin
from audit.exports import csv_lines
from audit.selectors import entries_between, export_rows
from people.management.arguments import OneLineErrorsMixin, date_argument


class Command(OneLineErrorsMixin, AuditedCommandMixin, BaseCommand):
    help = "Print the audit log for a period as CSV, for an external auditor."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", type=date_argument, required=True, help="First day (YYYY-MM-DD)."
        )
        parser.add_argument("--until", type=date_argument, help="Last day (default: today).")

    def handle(self, *args, since, until, **options):
        if until and until < since:
            self.stderr.write("audit_report: error: --until is before --since")
            raise SystemExit(2)
        # Session notes stay masked: an auditor is not one of the people who may read them.
        for line in csv_lines(export_rows(entries_between(since, until), viewer=None)):
            self.stdout.write(line, ending="")
