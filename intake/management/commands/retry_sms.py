"""Hand undelivered SMS back to the task queue.

Run it on a schedule, e.g. every five minutes from cron or a systemd timer:
    */5 * * * *  cd /srv/portal && .venv/bin/python manage.py retry_sms
It closes the two gaps a crash can leave (a worker killed, the database
restarted), never sending a message twice:
- a request stored in the last --since-hours whose receipt SMS was never
  recorded (the SMS is recorded after the request's transaction commits; the
  process died in between): the SMS is recorded and queued now;
- an SMS still pending, untouched for --grace seconds, with no task waiting for
  it (the task row was lost, or its worker died mid-run): queued again.
Messages that a task is still waiting for (a deferred retry) are left alone;
`intake.tasks.deliver` counts the attempts and marks the message failed after
SMS_MAX_ATTEMPTS.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from intake import notifications, tasks
from intake.models import ServiceRequest, SmsMessage

TASK_PATH = "intake.tasks.send_sms"


class Command(BaseCommand):
    help = "Queue again the SMS a crash left unsent (receipt SMS never recorded, pending without a task)."

    def add_arguments(self, parser):
        parser.add_argument("--grace", type=float, default=300, help="seconds a message may wait untouched")
        parser.add_argument(
            "--since-hours", type=float, default=48, help="older requests never get a late SMS"
        )
        parser.add_argument("--dry-run", action="store_true", help="only count")

    def handle(self, *args, grace=300, since_hours=48, dry_run=False, **options):
        if not getattr(settings, "SMS_ENABLED", True):
            self.stdout.write("SMS is off (SMS_ENABLED): nothing to do")
            return
        now = timezone.now()
        cutoff = now - datetime.timedelta(seconds=grace)
        missing = ServiceRequest.objects.filter(
            submitted_at__lt=cutoff,
            submitted_at__gte=now - datetime.timedelta(hours=since_hours),
            sms_messages__isnull=True,
        ).values_list("pk", flat=True)
        missing = list(missing)
        stale = tasks.stale_message_ids(SmsMessage, cutoff, TASK_PATH)
        if not dry_run:
            for request_pk in missing:
                notifications.queue_receipt_sms(request_pk)
            for message_pk in stale:
                tasks.enqueue(message_pk)
        self.stdout.write(
            f"{len(missing)} receipt SMS recorded and queued, {len(stale)} pending SMS queued again"
        )
