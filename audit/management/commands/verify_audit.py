from django.core.management.base import BaseCommand

from audit.checkpoints import CheckpointRefused, checkpoint_make, checkpoint_read, checkpoint_text
from audit.verification import verify_log
from people.management.arguments import (
    OneLineErrorsMixin,
    input_file,
    output_file,
    replaced_when_complete,
)


class Command(OneLineErrorsMixin, BaseCommand):
    help = (
        "Recompute the audit log's keyed hash chains and compare every live row with its "
        "newest history row. Names every problem (exit 1) and prints a digest of the whole "
        "log. --checkpoint FILE also writes a signed checkpoint of each chain's head; "
        "--since-checkpoint FILE finds chains trimmed or rewritten since one was written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint", type=output_file, metavar="FILE", help="Write a signed checkpoint."
        )
        parser.add_argument(
            "--since-checkpoint",
            type=input_file,
            metavar="FILE",
            help="Compare the log with a checkpoint written earlier.",
        )

    def handle(self, *args, checkpoint, since_checkpoint, **options):
        earlier = None
        if since_checkpoint:
            try:
                earlier = checkpoint_read(since_checkpoint.read_text(errors="replace"))
            except CheckpointRefused as refusal:
                self.refuse(f"{since_checkpoint}: {refusal}")
        report = verify_log(checkpoint=earlier)
        for problem in report.problems:
            self.stderr.write(problem)
        self.stdout.write(f"history rows checked: {report.rows}")
        self.stdout.write(f"records: {len(report.heads)}")
        self.stdout.write(f"log digest: {report.digest}")
        if earlier:
            self.stdout.write(f"compared with the checkpoint of {earlier['created_at']}")
        if checkpoint:
            with replaced_when_complete(checkpoint) as out:
                out.write(checkpoint_text(checkpoint_make(report)).encode())
            self.stdout.write(f"checkpoint written to {checkpoint}")
        if report.problems:
            self.stderr.write(f"{len(report.problems)} problem(s) found")
            raise SystemExit(1)
        self.stdout.write("audit log intact")
