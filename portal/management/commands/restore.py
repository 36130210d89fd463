from django.core.management.base import BaseCommand

from audit.context import AuditedCommandMixin
from audit.verification import verify_log
from people.management.arguments import OneLineErrorsMixin, input_file
from portal.backups import RestoreRefused, backup_restore, restore_recover


class Command(OneLineErrorsMixin, AuditedCommandMixin, BaseCommand):
    help = (
        "Restore an archive made by `backup`: checks all of it first, then loads the "
        "database and swaps the files in. Refuses a non-empty database without --force. "
        "--recover finishes or undoes a restore that was interrupted."
    )
    needs_migrated_database = False  # restore migrates the database itself

    def add_arguments(self, parser):
        parser.add_argument(
            "archive", nargs="?", type=input_file, help="The archive made by `manage.py backup`."
        )
        parser.add_argument(
            "--force", action="store_true", help="Overwrite the database and files that are here."
        )
        parser.add_argument(
            "--recover", action="store_true", help="Only deal with an interrupted restore."
        )

    def handle(self, *args, archive, force, recover, **options):
        if recover:
            return self.recover()
        if archive is None:
            self.refuse("give the archive to restore (or --recover)")
        try:
            restored = backup_restore(archive_path=archive, force=force)
        except RestoreRefused as refusal:
            self.refuse(str(refusal))
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: {restored.rows} rows in "
            f"{len(manifest['tables'])} tables, {restored.files['private']} private file(s) "
            f"and {restored.files['default']} public file(s)."
        )
        self.verdict(restored.checkpoint)

    def recover(self):
        leftover = restore_recover()
        if leftover is None:
            self.stdout.write("No interrupted restore found: nothing to do.")
        elif leftover.committed:
            self.stdout.write(f"Found that {leftover.describe()}: the files are now swapped in.")
        else:
            self.stdout.write(f"Found that {leftover.describe()}: the staged files are removed.")

    def verdict(self, checkpoint):
        report = verify_log(checkpoint=checkpoint)
        for problem in report.problems:
            self.stderr.write(problem)
        if report.problems:
            self.stderr.write(f"verify_audit: {len(report.problems)} problem(s) found")
            raise SystemExit(1)
        self.stdout.write(
            f"verify_audit: audit log intact ({report.rows} history rows, matching the "
            "backup's checkpoint)"
        )
