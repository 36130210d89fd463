from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.template.defaultfilters import filesizeformat

from people.management.arguments import OneLineErrorsMixin
from portal.files import GRACE, orphan_files


class Command(OneLineErrorsMixin, BaseCommand):
    help = (
        "List stored files that no record names (left by crashes or abandoned uploads), "
        "older than an hour; with --delete, remove them. The PDF cache is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="Remove the files listed.")

    def handle(self, *args, delete, **options):
        orphans = orphan_files()
        for orphan in orphans:
            self.stdout.write(f"{orphan.alias}/{orphan.name} ({filesizeformat(orphan.size)})")
            if delete:
                storages[orphan.alias].delete(orphan.name)
        total = filesizeformat(sum(orphan.size for orphan in orphans))
        if delete:
            self.stdout.write(f"Removed {len(orphans)} file(s) no record names ({total}).")
        else:
            self.stdout.write(
                f"{len(orphans)} file(s) no record names ({total}), older than "
                f"{int(GRACE.total_seconds() // 60)} minutes. Dry run: run with --delete "
                "to remove them."
            )
