from django.core.management.base import BaseCommand

from audit.context import AuditedCommandMixin
from compliance.reminders import RUN_LEASE, is_digest_day, reminders_plan, reminders_send
from compliance.run_lock import LockHeld, LockLost, run_lock
from people.management.arguments import OneLineErrorsMixin, date_argument, today_from


class Command(OneLineErrorsMixin, AuditedCommandMixin, BaseCommand):
    help = (
        "Email each person what needs their attention: training running out, expired or "
        "missing; supervision due or overdue; sessions to sign off or confirm; and, on "
        "Mondays, the managers' weekly summary. Run it daily; a rerun sends nothing new, "
        "and a second run at the same time (on any host) waits for nothing and sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=date_argument, help="Run as if today were D.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; send nothing."
        )
        parser.add_argument(
            "--digest", action="store_true", help="Send the managers' weekly summary today."
        )

    def handle(self, *args, today, dry_run, digest, **options):
        today = today_from(today)
        digest = digest or is_digest_day(today)
        if dry_run:
            plan = reminders_plan(today, digest=digest)
            self.describe(plan)
            self.stdout.write(f"sent 0, skipped {plan.skipped}, failed 0")
            return
        try:
            with run_lock("send_reminders", lease=RUN_LEASE) as lease:
                plan = reminders_plan(today, digest=digest)
                sent, failed = reminders_send(plan, lease=lease)
        except LockHeld as held:
            self.stdout.write(f"Nothing sent: {held}.")
            return
        except LockLost as lost:
            self.stderr.write(f"send_reminders: stopped: {lost}")
            raise SystemExit(1) from None
        self.stdout.write(f"sent {sent}, skipped {plan.skipped}, failed {failed}")

    def describe(self, plan):
        for email in plan.emails:
            person = email.recipient
            self.stdout.write(f"To {person} <{person.email}>: {email.subject}")
            for reminder in email.reminders:
                self.stdout.write(f"  - [{reminder.threshold}] {reminder.text}")
                for text, _ in reminder.details:
                    self.stdout.write(f"      {text}")
        self.stdout.write(f"dry run: {len(plan.emails)} emails would be sent")
