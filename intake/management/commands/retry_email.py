"""Hand undelivered email back to the task queue: `retry_sms`'s twin, with the same
rules (run it on the same schedule, e.g. every five minutes:
    */5 * * * *  cd /srv/portal && .venv/bin/python manage.py retry_email
). It closes the gaps a crash or a failing queue can leave, never sending twice:
- a request stored in the last --since-hours, with an email address, whose receipt
  email was never recorded: recorded and queued now;
- an email still pending, untouched for --grace seconds, with no task waiting for
  it: queued again.
A message a task still waits for (a deferred retry) is left alone;
`intake.tasks.deliver_email` counts the attempts and marks it failed after
EMAIL_MAX_ATTEMPTS. With --failed, messages that failed are given a fresh round of
attempts (after the mail server is repaired)."""

import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from intake import mail, notifications, tasks
from intake.models import EmailMessage, ServiceRequest

TASK_PATH = "intake.tasks.send_email"


class Command(BaseCommand):
    help = "Queue again the email a crash left unsent (receipt never recorded, pending without a task)."

    def add_arguments(self, parser):
        parser.add_argument("--grace", type=float, default=300, help="seconds a message may wait untouched")
        parser.add_argument(
            "--since-hours", type=float, default=48, help="older requests never get a late receipt"
        )
        parser.add_argument(
            "--failed", action="store_true", help="also try again the messages that failed (since-hours)"
        )
        parser.add_argument("--dry-run", action="store_true", help="only count")

    def handle(self, *args, grace=300, since_hours=48, failed=False, dry_run=False, **options):
        if not mail.email_enabled():
            self.stdout.write("email is off (EMAIL_ENABLED): nothing to do")
            return
        now = timezone.now()
        cutoff = now - datetime.timedelta(seconds=grace)
        since = now - datetime.timedelta(hours=since_hours)
        missing = list(
            ServiceRequest.objects.filter(submitted_at__lt=cutoff, submitted_at__gte=since)
            .exclude(email="")
            .exclude(email_messages__kind=EmailMessage.Kind.RECEIPT)
            .values_list("pk", flat=True)
        )
        stale = tasks.stale_message_ids(EmailMessage, cutoff, TASK_PATH)
        again = []
        if failed:
            again = list(
                EmailMessage.objects.filter(
                    status=EmailMessage.Status.FAILED, created_at__gte=since
                ).values_list("pk", flat=True)
            )
        if not dry_run:
            for request_pk in missing:
                notifications.queue_receipt_email(request_pk)
            for message_pk in stale:
                tasks.enqueue_email(message_pk)
            for message_pk in again:
                EmailMessage.objects.filter(pk=message_pk, status=EmailMessage.Status.FAILED).update(
                    status=EmailMessage.Status.PENDING, attempts=0, updated_at=timezone.now()
                )
                tasks.enqueue_email(message_pk)
        self.stdout.write(
            f"{len(missing)} receipt emails recorded and queued, {len(stale)} pending emails queued again"
            + (f", {len(again)} failed emails tried again" if failed else "")
        )
