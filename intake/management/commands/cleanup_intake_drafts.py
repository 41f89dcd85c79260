"""Remove abandoned wizard drafts and their temporary files.

Run it on a schedule, e.g. hourly from cron:
    17 * * * *  cd /srv/portal && .venv/bin/python manage.py cleanup_intake_drafts
Drafts untouched for INTAKE_DRAFT_MAX_AGE_HOURS (48 by default, or --hours) go,
unless a live resume link leads to one (intake.resume), as do submitted drafts, temporary files under drafts/ that no draft owns, and
files under requests/ that no attachment owns (left by a killed process).
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from intake import drafts, resume
from intake.models import Draft, DraftFile, RequestAttachment
from intake.storage import private_storage


class Command(BaseCommand):
    help = "Remove abandoned request-wizard drafts and their temporary files."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=None, help="age after which a draft is abandoned")
        parser.add_argument("--dry-run", action="store_true", help="only count")

    def handle(self, *args, hours=None, dry_run=False, **options):
        hours = hours if hours is not None else getattr(settings, "INTAKE_DRAFT_MAX_AGE_HOURS", 48)
        cutoff = timezone.now() - datetime.timedelta(hours=hours)
        # A draft a live resume link leads to stays until the link expires (intake.resume).
        stale = Draft.objects.filter(
            Q(updated_at__lt=cutoff, submitted_at__isnull=True) & ~Q(pk__in=resume.kept_by_a_link())
            | Q(submitted_at__isnull=False)
        )
        count = stale.count()
        if not dry_run:
            for draft in stale.iterator():
                drafts.discard_draft(draft)
        orphans = 0 if dry_run else self._remove_orphans(cutoff)
        self.stdout.write(f"{count} draft(s) removed, {orphans} orphan file(s) removed")

    def _remove_orphans(self, cutoff):
        """Files under drafts/ no draft owns, and under requests/ no attachment owns
        (copies written by a submission whose process was killed before it committed).
        Through the storage's own listing, so on disk and in an S3 bucket alike."""
        removed = 0
        for folder, model in (("drafts", DraftFile), ("requests", RequestAttachment)):
            owned = set(model.objects.values_list("file", flat=True))
            for name in _walk(private_storage, folder):
                if name not in owned and private_storage.get_modified_time(name) < cutoff:
                    private_storage.delete(name)
                    removed += 1
        return removed


def _walk(storage, folder):
    """Every file name under `folder` ("drafts/2026/11/x.pdf"); nothing if it is missing."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}"
    for directory in directories:
        yield from _walk(storage, f"{folder}/{directory}")
