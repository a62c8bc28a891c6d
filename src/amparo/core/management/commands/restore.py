"""Restore a backup archive written by `manage.py backup`: verify it, then replace the
database's rows and the uploaded files with the archive's, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amparo.core.backup import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from a backup archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", type=Path, help="The .tar.gz written by `manage.py backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database that already holds data (everything in it is lost).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only verify the archive (checksums, keys); change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            if options["check"]:
                verified = backup_verify(path=archive)
                verified.cleanup()
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{archive} is intact: made {verified.created_at}, {verified.total_rows} "
                        f"rows and {verified.file_count} files; the keys configured here read it."
                    )
                )
                return
            result = backup_restore(path=archive, force=options["force"])
        except BackupError as error:
            raise CommandError(f"{error} Nothing was restored.") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup made {result.created_at}: {result.rows} rows and "
                f"{result.files} files."
            )
        )
