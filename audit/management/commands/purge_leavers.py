import argparse

from django.core.management.base import BaseCommand

from audit.context import AuditedCommandMixin
from audit.retention import person_anonymise, plan
from people.management.arguments import OneLineErrorsMixin, date_argument, today_from


def positive_years(value):
    try:
        years = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of years") from None
    if years < 1:
        raise argparse.ArgumentTypeError("--older-than must be at least 1 year")
    return years


class Command(OneLineErrorsMixin, AuditedCommandMixin, BaseCommand):
    help = (
        "Anonymise people who left more than YEARS ago: names, contact details, notes and "
        "evidence go; records, counts and the audit chain stay."
    )

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=positive_years, required=True, metavar="YEARS")
        parser.add_argument("--dry-run", action="store_true", help="Say what would happen only.")
        parser.add_argument("--today", type=date_argument)

    def handle(self, *args, older_than, dry_run, today, **options):
        purges = plan(today=today_from(today), years=older_than)
        verb = "Would anonymise" if dry_run else "Anonymised"
        for purge in purges:
            person = purge.person
            self.stdout.write(
                f"{verb} {person.username} ({person.get_full_name()}), left {person.left_on}: "
                f"{purge.records} training record(s), {purge.sessions} session(s)"
            )
            if not dry_run:
                person_anonymise(person=person)
        self.stdout.write(f"{verb} {len(purges)} person(s).")
        if purges and not dry_run:
            self.stdout.write(
                "The audit log digest has changed: run verify_audit and keep the new digest."
            )
