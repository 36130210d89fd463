from django.core.management.base import BaseCommand

from portal.backups import backup_write


class Command(BaseCommand):
    help = "Write one archive with the database and all public and private files."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Archive path, e.g. alongside.tar.gz")

    def handle(self, *args, output, **options):
        manifest = backup_write(output=output)
        self.stdout.write(
            f"Backed up the database ({manifest['database']}) and {len(manifest['files'])} "
            f"file(s) to {output}"
        )
