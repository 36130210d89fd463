from django.core.management.base import BaseCommand

from audit.checkpoints import checkpoint_text
from people.management.arguments import OneLineErrorsMixin, output_file, replaced_when_complete
from portal.backups import backup_write, checkpoint_beside


class Command(OneLineErrorsMixin, BaseCommand):
    help = (
        "Write one archive with the database (one consistent snapshot) and every file its "
        "rows name, with a manifest of row counts and checksums and a signed audit "
        "checkpoint (also written beside the archive as FILE.audit-checkpoint.json)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=output_file, required=True, help="Archive path, e.g. alongside.tar.gz"
        )

    def handle(self, *args, output, **options):
        manifest, checkpoint = backup_write(output=output)
        beside = checkpoint_beside(output)
        with replaced_when_complete(beside) as out:
            out.write(checkpoint_text(checkpoint).encode())
        for name in manifest["missing"]:
            self.stderr.write(f"warning: {name} is named by a record but was not in storage")
        self.stdout.write(
            f"Backed up the database ({manifest['database']}, "
            f"{sum(manifest['tables'].values())} rows) and {len(manifest['files'])} file(s) "
            f"to {output}; audit checkpoint: {beside}"
        )
