"""Two answers to the same request for documents at the same moment (a double click,
two tabs), forced every run (tests/intake/races.py): the second waits on the row
lock, then finds the request no longer waiting and is refused; its file is removed
and nothing of it is written."""

from pathlib import Path

from django.conf import settings

from intake import services, uploads
from intake.models import RequestAttachment, RequestEvent, ServiceRequest
from tests.intake import files
from tests.intake.races import RACE_MODULE, race
from tests.intake.requests import make_request
from tests.intake.transactional import start_as_after_a_flush  # noqa: F401 (a fixture)

pytestmark = RACE_MODULE


def test_the_second_answer_waits_and_is_refused(service):
    request_obj = make_request(service)
    services.transition(request_obj, "waiting", None, public_note="سند را بفرستید.")
    checked = uploads.check_upload(files.pdf())
    before = stored()

    def answer(text):
        return lambda: services.answer_missing(ServiceRequest.objects.get(pk=request_obj.pk), text, [checked])

    held, late, blocked = race(answer("اول"), answer("دوم"))
    assert "error" not in held, held
    assert blocked, "the second answer never waited for the first"
    assert isinstance(late.get("error"), services.TransitionError), late
    assert "پیش از این ثبت شده است" in str(late["error"])
    notes = RequestEvent.objects.filter(kind="citizen_answer").values_list("note", flat=True)
    assert list(notes) == ["اول"]
    assert RequestAttachment.objects.count() == 1
    assert [p.name for p in stored() - before] == [Path(RequestAttachment.objects.get().file.name).name]


def stored():
    return {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()}
