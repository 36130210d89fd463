from django.core.management.base import BaseCommand

from audit.verification import verify_log


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chains. Names every history row that was changed, "
        "removed or inserted out of order (exit 1), and prints a digest of the whole log "
        "to keep elsewhere and compare later."
    )

    def handle(self, *args, **options):
        report = verify_log()
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(f"history rows checked: {report.rows}")
        self.stdout.write(f"records: {len(report.heads)}")
        self.stdout.write(f"log digest: {report.digest}")
        if report.problems:
            self.stderr.write(f"{len(report.problems)} problem(s) found")
            raise SystemExit(1)
        self.stdout.write("audit log intact")
