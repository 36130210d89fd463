from django.core.management.base import BaseCommand
from django.utils import timezone

from compliance.counts import kept_tallies
from compliance.loader import month_ends
from compliance.trends import month_end_record, month_ends_missing
from people.management.arguments import OneLineErrorsMixin, date_argument
from training.selectors import module_facts


class Command(OneLineErrorsMixin, BaseCommand):
    help = (
        "Write the compliance counts of past month ends, as recorded then, for the trends "
        "page. Daily, it writes the month just ended (--months 12 backfills a year) and "
        "counts the new day for the dashboards."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date_argument, help="Run as of D (YYYY-MM-DD).")
        parser.add_argument(
            "--months", type=int, default=1, help="How many past month ends (default 1)."
        )
        parser.add_argument(
            "--rewrite", action="store_true", help="Count again month ends already written."
        )

    def handle(self, *args, today, months, rewrite, **options):
        today = today or timezone.localdate()
        ended = month_ends(today, months + 1)[:-1]
        days = ended if rewrite else month_ends_missing(today, months)
        for day in days:
            people = month_end_record(day)
            self.stdout.write(f"{day}: {people} people counted")
        if not days:
            self.stdout.write("Nothing to write: those month ends are counted.")
        if today == timezone.localdate():
            # The new day's counts, kept for the first dashboard of the morning.
            tallies = kept_tallies(today, module_facts())
            people = sum(tally.people for tally in tallies.values())
            self.stdout.write(f"{today}: today's counts kept ({people} people)")
