import io

from django.core.management.base import BaseCommand
from django.utils import timezone

from compliance.exports import LONG_COLUMNS, long_rows
from compliance.loader import StatusSource
from people.exports import spreadsheet_safe, write_csv, write_xlsx
from people.management.arguments import (
    OneLineErrorsMixin,
    date_argument,
    output_file,
    replaced_when_complete,
)
from people.models import Service, User

CHUNK = 500


class Command(OneLineErrorsMixin, BaseCommand):
    help = "The whole organisation's compliance, one row per person and item: " + ",".join(
        LONG_COLUMNS
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--output", type=output_file, help="Write to this file (needed for xlsx)."
        )
        parser.add_argument("--today", type=date_argument, help="Statuses on D (YYYY-MM-DD).")
        parser.add_argument(
            "--as-of",
            type=date_argument,
            help="Statuses on D as recorded at the end of that day, from the history.",
        )
        parser.add_argument("--service", help="Only the peer support workers of this service.")

    def handle(self, *args, format, output, today, as_of, service, **options):
        today = today or timezone.localdate()
        if format == "xlsx" and not output:
            self.refuse("--format xlsx needs --output FILE")
        if as_of and as_of > today:
            self.refuse(f"--as-of {as_of} is after today ({today})")
        service_id = self.service_id(service)
        source = StatusSource(User.objects.all(), as_of or today, as_of=bool(as_of))
        rows = self.rows(source, list(source.people(service_id)))
        if format == "xlsx":
            # The machine format keeps ISO text dates in XLSX as in CSV.
            text = ([spreadsheet_safe(cell) for cell in row] for row in rows)
            with replaced_when_complete(output) as out:
                write_xlsx(out, LONG_COLUMNS, text, title="Compliance report")
        elif output:
            # Written whole or not at all: a failure halfway leaves no partial report.
            with replaced_when_complete(output) as out:
                text = io.TextIOWrapper(out, encoding="utf-8", newline="")
                write_csv(text, LONG_COLUMNS, rows)
                text.flush()
                text.detach()
        else:
            write_csv(self.stdout, LONG_COLUMNS, rows)

    def service_id(self, name):
        if name is None:
            return None
        service = Service.objects.filter(name__iexact=name).first()
        if service is None:
            known = ", ".join(Service.objects.values_list("name", flat=True))
            self.refuse(f"no service called {name!r} (known: {known})")
        return service.pk

    def rows(self, source, people):
        """The rows, working through people a chunk at a time, with progress on stderr."""
        for start in range(0, len(people), CHUNK):
            chunk = people[start : start + CHUNK]
            yield from long_rows(source.statuses(chunk))
            if len(people) > CHUNK:
                done = start + len(chunk)
                self.stderr.write(f"{done} of {len(people)} people")
