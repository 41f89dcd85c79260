"""The restore drill: prove a backup can be restored, without touching live data.

    .venv/bin/python manage.py restore_drill                 # back up now, then restore that
    .venv/bin/python manage.py restore_drill --backup DIR    # restore an existing backup folder

The backup is restored into a scratch database (PostgreSQL: created next to the
live one and dropped afterwards; SQLite: a copy in a scratch folder) and its
media into a scratch folder; every table's row count and every file's SHA-256
must equal the backup's manifest. Exits non-zero on any difference. Media kept in
an S3 bucket are not in the backup, so not in the drill; the command says so.
"""

import tempfile

from django.core.management.base import BaseCommand, CommandError

from portal.backup import DrillFailed, drill, s3_notices, take_backup


class Command(BaseCommand):
    help = "Restore a backup into a scratch database and folder and check row counts and checksums."

    def add_arguments(self, parser):
        parser.add_argument("--backup", help="a folder written by `manage.py backup` (default: take one now)")
        parser.add_argument("--keep", action="store_true", help="keep the scratch database and folder")

    def handle(self, *args, backup=None, keep=False, **options):
        with tempfile.TemporaryDirectory(prefix="restore-drill-backup-") as fresh:
            try:
                if backup is None:
                    backup = take_backup(fresh)
                    self.stdout.write(f"پشتیبان تازه / fresh backup: {backup}")
                report = drill(backup, keep=keep)
            except DrillFailed as error:
                raise CommandError(f"بازیابی آزمایشی ناموفق / restore drill FAILED: {error}") from error
            except OSError as error:
                raise CommandError(
                    f"بازیابی آزمایشی انجام نشد / restore drill could not run: {error}"
                ) from error
        write = self.stdout.write
        write(f"پایگاه داده آزمایشی / scratch database: {report['scratch database']}"
              f"{' (kept)' if keep else ' (dropped)'}")  # fmt: skip
        write(f"جدول‌ها / tables: {report['tables']}, ردیف‌ها / rows: {report['rows']} — همه برابر / all equal")
        for table, (expected, restored) in report["key tables"].items():
            write(f"  {table}: {expected} → {restored}")
        write(f"پرونده‌ها / files: {report['files']} — چکیده‌ها برابر / checksums equal")
        for notice in s3_notices(report["s3"]):
            write(notice)
        write("بازیابی آزمایشی موفق / restore drill OK")
