"""Daily: switch off the accounts of people whose leaving date has passed."""

from django.core.management.base import BaseCommand

from people.management.arguments import OneLineErrorsMixin, date_argument, today_from
from people.services import leavers_close


class Command(OneLineErrorsMixin, BaseCommand):
    help = "Switch off (is_active) the accounts of people who left before today. Records stay."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date_argument, help="run as of YYYY-MM-DD")

    def handle(self, *args, **options):
        closed = leavers_close(today=today_from(options["today"]))
        for person in closed:
            self.stdout.write(f"closed {person.username} (left on {person.left_on.isoformat()})")
        self.stdout.write(f"{len(closed)} account(s) closed.")
