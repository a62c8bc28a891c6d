"""Write a backup archive: the whole database and every uploaded file, with a manifest.

Personal data stays encrypted in the archive; the keys (AMPARO_FIELD_KEYS,
AMPARO_BLIND_INDEX_KEY) are never in it: keep them apart (see docs/deploy.md, "Backups").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amparo.core.backup import BackupError, backup_create, backup_prune, default_backup_dir


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one .tar.gz archive."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--output", type=Path, help="The archive to write (default: a dated file in --dir)."
        )
        parser.add_argument(
            "--dir",
            type=Path,
            dest="directory",
            help=f"Where dated archives go (default: {default_backup_dir()}).",
        )
        parser.add_argument(
            "--keep",
            type=int,
            help="Afterwards, delete all but this many of the newest archives in --dir.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output, directory, keep = options["output"], options["directory"], options["keep"]
        if output is not None and (directory is not None or keep is not None):
            raise CommandError("--output names one file: use --dir (and --keep) for dated ones.")
        if keep is not None and keep < 1:
            raise CommandError("--keep must be at least 1.")
        try:
            result = backup_create(output=output, directory=directory)
            removed = (
                backup_prune(directory=result.path.parent, keep=keep) if keep is not None else []
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {result.path}: {result.total_rows} rows of "
                f"{len(result.rows)} tables and {result.files} files ({result.size} bytes)."
            )
        )
        for path in removed:
            self.stdout.write(f"Removed the older backup {path.name}.")
        self.stdout.write(
            "The archive is useless without AMPARO_FIELD_KEYS and AMPARO_BLIND_INDEX_KEY: "
            "keep them safe, and apart from it."
        )
