from django.core.management.base import BaseCommand

from compliance.states import states_rebuild
from people.models import User


class Command(BaseCommand):
    help = (
        "Rebuild the kept status dates of everyone from their records, exemptions, "
        "arrangements and sessions (after an import, a restore or a repair). Idempotent."
    )

    def handle(self, *args, **options):
        people = User.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000)
        done = states_rebuild(people)
        self.stdout.write(f"Statuses refreshed for {done} people.")
