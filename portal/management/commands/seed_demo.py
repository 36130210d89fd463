from django.core.management.base import BaseCommand
from django.db import transaction

from audit.context import AuditedCommandMixin
from people.management.arguments import OneLineErrorsMixin, date_argument, today_from
from portal.demo import PEOPLE, seed_people
from supervision.demo import seed_supervision
from training.demo import seed_training

DEFAULT_PASSWORD = "alongside-demo"


class Command(OneLineErrorsMixin, AuditedCommandMixin, BaseCommand):
    help = "Create or refresh the demo organisation (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help="Password for every demo login."
        )
        parser.add_argument("--today", type=date_argument, help="Seed as if today were D.")

    def handle(self, *args, password, today, **options):
        today = today_from(today)
        with transaction.atomic():
            people = seed_people(password=password, today=today)
            seed_training(people=people, today=today)
            seed_supervision(people=people, today=today)
        self.stdout.write(
            self.style.SUCCESS(f"Demo organisation ready. Logins (password: {password}):")
        )
        for username, first, last, role, service, _ in PEOPLE:
            place = f", {service}" if service else ""
            self.stdout.write(f"  {username:<16} {first} {last} ({role}{place})")
        self.stdout.write(f"  {'admin':<16} Site Administrator (administrator)")
