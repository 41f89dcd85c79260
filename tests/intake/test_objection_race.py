"""Two objections to the same response at the same moment (a double click, two tabs),
forced every run (tests/intake/races.py): the second waits on the response's row
lock, then finds the first open and is refused with its code; its file is removed
and nothing of it is written."""

from pathlib import Path

from django.conf import settings

from intake import services, uploads
from intake.models import OfficialResponse, RequestAttachment, ServiceRequest
from portal.persian import to_persian_digits
from tests.intake import files
from tests.intake.races import RACE_MODULE, race
from tests.intake.requests import answer, make_request
from tests.intake.transactional import start_as_after_a_flush  # noqa: F401 (a fixture)

pytestmark = RACE_MODULE


def test_the_second_objection_waits_and_is_refused(service):
    original = make_request(service)
    answer(original)
    response = OfficialResponse.objects.get(request=original)
    checked = uploads.check_upload(files.pdf())
    before = {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()}

    def objection(text):
        return lambda: services.file_objection(OfficialResponse.objects.get(pk=response.pk), text, [checked])

    held, late, blocked = race(objection("اول"), objection("دوم"))
    assert "error" not in held, held
    assert blocked, "the second objection never waited for the first"
    assert isinstance(late.get("error"), services.TransitionError), late
    filed = ServiceRequest.objects.get(objection_to=response)
    assert filed.request_text == "اول"
    assert to_persian_digits(filed.tracking_code) in str(late["error"])
    assert RequestAttachment.objects.count() == 1
    after = {p for p in Path(settings.PRIVATE_MEDIA_ROOT).rglob("*") if p.is_file()}
    assert [p.name for p in after - before] == [Path(RequestAttachment.objects.get().file.name).name]
