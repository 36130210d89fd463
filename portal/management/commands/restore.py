from django.core.management.base import BaseCommand

from audit.context import AuditedCommandMixin
from people.management.arguments import OneLineErrorsMixin
from portal.backups import RestoreRefused, backup_restore


class Command(OneLineErrorsMixin, AuditedCommandMixin, BaseCommand):
    help = "Restore an archive made by `backup`. Refuses a non-empty database without --force."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive made by `manage.py backup`.")
        parser.add_argument(
            "--force", action="store_true", help="Overwrite the database and files that are here."
        )

    def handle(self, *args, archive, force, **options):
        try:
            manifest = backup_restore(archive_path=archive, force=force)
        except (RestoreRefused, FileNotFoundError) as error:
            self.stderr.write(f"restore: error: {error}")
            raise SystemExit(2) from None
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} with {len(manifest['files'])} "
            "file(s). Run `manage.py verify_audit` to check the audit log."
        )
