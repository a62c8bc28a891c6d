"""Apply the retention policy now (the daily job does the same): archive closed cases past
AMPARO_ARCHIVE_AFTER_DAYS, purge the personal data of cases past AMPARO_RETENTION_YEARS
(cases/retention.py). --dry-run lists what would happen and changes nothing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amparo.cases.retention import retention_apply


class Command(BaseCommand):
    help = "Archive closed cases and purge personal data past the retention period."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would happen; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        run = retention_apply(dry_run=dry_run)
        verb = "Would" if dry_run else "Did"
        self.stdout.write(
            f"Retention: archive after {settings.AMPARO_ARCHIVE_AFTER_DAYS} days, purge "
            f"{settings.AMPARO_RETENTION_YEARS} years after closing."
        )
        for label, codes in (
            ("take off the archive (re-opened)", run.unarchived),
            ("archive", run.archived),
            ("purge the personal data of", run.purged),
        ):
            self.stdout.write(f"{verb} {label}: {len(codes)} case(s){': ' if codes else ''}")
            for code in codes:
                self.stdout.write(f"  {code}")
        for code, reason in run.failed:
            self.stderr.write(f"  {code} left as it was: {reason}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        if run.failed:
            raise CommandError(f"{len(run.failed)} case(s) could not be processed.")
