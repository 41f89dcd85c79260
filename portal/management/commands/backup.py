"""Take a backup: the database (pg_dump custom format, or a SQLite copy), MEDIA_ROOT
and PRIVATE_MEDIA_ROOT as tarballs, and a manifest of row counts and checksums.
Media kept in an S3 bucket are not copied; the command says so.

    .venv/bin/python manage.py backup --output /var/backups/mizekhedmat
"""

import os

from django.core.management.base import BaseCommand, CommandError

from portal.backup import DrillFailed, s3_media, s3_notices, take_backup


class Command(BaseCommand):
    help = "Back up the database and both media folders into one folder with a manifest."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=os.environ.get("BACKUP_DIR", "backups"),
            help="where the backup folder is made (BACKUP_DIR, ./backups by default)",
        )

    def handle(self, *args, output, **options):
        try:
            folder = take_backup(output)
        except (DrillFailed, OSError) as error:
            raise CommandError(f"پشتیبان‌گیری انجام نشد / backup failed: {error}") from error
        self.stdout.write(f"پشتیبان ساخته شد / backup written: {folder}")
        for notice in s3_notices(s3_media()):
            self.stdout.write(notice)
