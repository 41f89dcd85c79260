"""A submission whose process was killed after copying an attachment but before
committing leaves a file under requests/ with no row: the hourly cleanup removes
it once it is older than the draft age, and never touches a stored attachment."""

import datetime
import os

from django.core.management import call_command
from django.utils import timezone

from intake.models import ServiceRequest
from intake.storage import private_storage
from tests.intake import files
from tests.intake.helpers import fill_to_review, step


def test_attachment_copies_without_a_row_are_removed(client, intake_page, service, officer):
    fill_to_review(client, service, officer, files=[files.pdf()])
    client.post(step(6), {"action": "next"})
    attachment = ServiceRequest.objects.get().attachments.get()
    old = (timezone.now() - datetime.timedelta(days=5)).timestamp()
    os.utime(attachment.file.path, (old, old))
    stray = private_storage.save("requests/2026/11/killed-mid-write.pdf", files.pdf())
    recent = private_storage.save("requests/2026/11/in-flight.pdf", files.pdf())
    os.utime(private_storage.path(stray), (old, old))
    call_command("cleanup_intake_drafts", stdout=open(os.devnull, "w"))
    assert not private_storage.exists(stray)
    assert private_storage.exists(recent)  # may belong to a submission still committing
    assert os.path.exists(attachment.file.path)
