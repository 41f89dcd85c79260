import datetime
import os

from django.core.management import call_command
from django.utils import timezone

from intake.models import Draft, DraftFile, ServiceRequest
from intake.storage import private_storage
from tests.intake import files
from tests.intake.helpers import choose, fill_to_review, step


def test_abandoned_drafts_and_their_files_are_removed(client, intake_page, service, officer):
    fill_to_review(client, service, officer, files=[files.pdf()])
    draft = Draft.objects.get()
    path = DraftFile.objects.get().file.path
    assert os.path.exists(path)
    fresh_client_draft = Draft.objects.create()
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - datetime.timedelta(hours=49))
    orphan = private_storage.save("drafts/2020/01/01/orphan.pdf", files.pdf())
    old = (timezone.now() - datetime.timedelta(days=5)).timestamp()
    os.utime(private_storage.path(orphan), (old, old))
    call_command("cleanup_intake_drafts", stdout=open(os.devnull, "w"))
    assert list(Draft.objects.all()) == [fresh_client_draft]
    assert not DraftFile.objects.exists()
    assert not os.path.exists(path)
    assert not private_storage.exists(orphan)


def test_submitted_drafts_go_but_requests_and_attachments_stay(
    client, intake_page, service, officer, django_capture_on_commit_callbacks
):
    fill_to_review(client, service, officer, files=[files.pdf()])
    temporary = DraftFile.objects.get().file.path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(step(6), {"action": "next"})
    request_obj = ServiceRequest.objects.get()
    attachment = request_obj.attachments.get()
    assert not os.path.exists(temporary)  # the draft's copy goes once the request is committed
    call_command("cleanup_intake_drafts", stdout=open(os.devnull, "w"))
    assert not Draft.objects.exists() and not DraftFile.objects.exists()  # its rows with the draft
    assert os.path.exists(attachment.file.path)
    assert attachment.file.name.startswith("requests/")


def test_recent_drafts_are_kept(client, intake_page, service):
    choose(client, service)
    call_command("cleanup_intake_drafts", stdout=open(os.devnull, "w"))
    assert Draft.objects.count() == 1
