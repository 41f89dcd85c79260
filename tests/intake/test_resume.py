"""«ذخیره و ادامه در زمانی دیگر» (intake.resume): the citizen confirms a mobile with a
code and gets by SMS a link that opens the draft, files included, in any browser at
its first unfinished step; single use, 72 hours, stored hashed (issue 19)."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from intake import sms
from intake.models import Draft, ResumeLink, SmsMessage
from tests.intake.files import pdf
from tests.intake.helpers import BASE, step, to_attachments

pytestmark = pytest.mark.django_db

SAVE = f"{BASE}save/"


@pytest.fixture
def outbox(sms_outbox):
    return sms_outbox


@pytest.fixture
def started(client, intake_page, service, outbox):
    """A draft with steps 1-2 done and a file on step 3."""
    for response in to_attachments(client, service):
        assert response.status_code == 302
    response = client.post(step(3), {"action": "next", "file1": pdf("نامه.pdf")})
    assert response.status_code == 302
    return Draft.objects.get()


def sent_code(outbox):
    return re.search(r"\b(\d{6})\b", outbox[-1][1]).group(1)


def sent_link(outbox):
    return re.search(r"http://testserver(/request/resume/[^/\s]+/)", outbox[-1][1]).group(1)


def get_link(client, outbox, mobile="09121234567"):
    assert client.post(SAVE, {"action": "send", "mobile": mobile}).status_code == 200
    response = client.post(SAVE, {"action": "confirm", "otp": sent_code(outbox)})
    assert response.status_code == 200 and "پیوند ادامه ثبت درخواست به شماره" in response.content.decode()
    return sent_link(outbox)


def test_the_button_keeps_what_validated_and_opens_the_save_page(client, intake_page, service, outbox):
    to_attachments(client, service)
    response = client.post(step(3), {"action": "later"})
    assert response.status_code == 302 and response["Location"] == SAVE
    draft = Draft.objects.get()
    assert 3 in draft.completed  # no file is fine on step 3
    page = client.get(SAVE).content.decode()
    assert "ذخیره و ادامه در زمانی دیگر" in page and 'name="mobile"' in page


def test_every_step_offers_the_button(client, intake_page, service, started):
    for number in (1, 2, 3, 4):
        body = client.get(step(number)).content.decode()
        assert 'value="later"' in body and "ذخیره و ادامه در زمانی دیگر" in body
    # «تایید و ادامه» stays the form's first submit: Enter goes on, never «later».
    body = client.get(step(4)).content.decode()
    assert body.index('value="next"') < body.index('value="later"')


def test_the_mobile_of_step_four_is_suggested(client, intake_page, service, started):
    client.post(step(4), {"action": "later", "mobile": "09351234567", "national_code": "bad"})
    assert re.search(r'name="mobile"[^>]*value="09351234567"', client.get(SAVE).content.decode())


def test_the_link_restores_the_draft_in_another_browser(client, started, outbox):
    path = get_link(client, outbox)
    sms_row = SmsMessage.objects.latest("pk")
    token = path.rstrip("/").rsplit("/", 1)[1]
    # Stored hashed; the SMS log keeps the address with the token masked.
    assert token not in sms_row.text and sms.PLACEHOLDER in sms_row.text
    link = ResumeLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() and link.mobile == "09121234567"
    assert timedelta(hours=71) < link.expires_at - timezone.now() <= timedelta(hours=72)

    other = Client()
    page = other.get(path)
    assert page.status_code == 200 and "ادامه ثبت درخواست" in page.content.decode()
    assert ResumeLink.objects.get().used_at is None  # opening (a link preview) uses nothing
    response = other.post(path)
    assert response.status_code == 302 and response["Location"] == step(4)
    body = other.get(step(3)).content.decode()
    assert "نامه.pdf" in body  # the files came along
    assert "درخواست بررسی عملکرد دهیاری" in other.get(step(2)).content.decode()


@pytest.mark.parametrize("case", ["used", "expired", "unknown", "submitted", "short"])
def test_a_link_that_cannot_be_used_says_why_and_changes_nothing(client, started, outbox, case):
    path = get_link(client, outbox)
    link = ResumeLink.objects.get()
    expected = {
        "used": "پیش‌تر یک بار به کار رفته است",
        "expired": "مهلت این پیوند گذشته است",
        "unknown": "این پیوند معتبر نیست",
        "submitted": "پیش‌تر ثبت شده است",
        "short": "این پیوند معتبر نیست",
    }[case]
    if case == "used":
        assert Client().post(path).status_code == 302
    elif case == "expired":
        ResumeLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    elif case == "unknown":
        path = path[:-6] + "abcde/"
    elif case == "submitted":
        Draft.objects.update(submitted_at=timezone.now())
    elif case == "short":
        path = f"{BASE}resume/x/"
    before = ResumeLink.objects.get(pk=link.pk).used_at
    other = Client()
    for response in (other.get(path), other.post(path)):
        assert response.status_code in (404, 410)
        assert expected in response.content.decode()
    assert ResumeLink.objects.get(pk=link.pk).used_at == before
    assert "intake_draft" not in other.session


def test_a_wrong_code_gets_a_persian_message_and_no_link(client, started, outbox):
    client.post(SAVE, {"action": "send", "mobile": "09121234567"})
    code = sent_code(outbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post(SAVE, {"action": "confirm", "otp": wrong})
    assert response.status_code == 200
    assert "کد تایید نادرست یا منقضی است" in response.content.decode()
    assert not ResumeLink.objects.exists() and len(outbox) == 1


@pytest.mark.parametrize(
    ("mobile", "message"),
    [("", "شماره تلفن همراه را وارد کنید."), ("12345", "تلفن همراه"), ("0912\x00123", "نامعتبر")],
)
def test_a_bad_mobile_gets_a_persian_message_and_no_sms(client, started, outbox, mobile, message):
    response = client.post(SAVE, {"action": "send", "mobile": mobile})
    assert response.status_code == 200 and message in response.content.decode()
    assert not outbox and not ResumeLink.objects.exists()


def test_a_new_link_ends_the_older_one(client, started, outbox):
    first = get_link(client, outbox)
    second = get_link(client, outbox)
    assert Client().post(first).status_code == 410
    assert Client().post(second).status_code == 302


def test_no_draft_no_save_page(client, intake_page, outbox):
    assert client.get(SAVE)["Location"] == BASE
    assert client.post(SAVE, {"action": "send", "mobile": "09121234567"})["Location"] == BASE
    assert not outbox


def test_a_draft_with_a_live_link_outlives_the_clean_up(client, started, outbox, settings):
    get_link(client, outbox)
    old = timezone.now() - timedelta(hours=settings.INTAKE_DRAFT_MAX_AGE_HOURS + 1)
    Draft.objects.update(updated_at=old)
    call_command("cleanup_intake_drafts", verbosity=0)
    assert Draft.objects.exists()
    ResumeLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    call_command("cleanup_intake_drafts", verbosity=0)
    assert not Draft.objects.exists()


def test_code_sms_are_limited_per_address(client, started, outbox, settings):
    settings.INTAKE_RESUME_RATE = "2/600"
    for _ in range(2):
        assert client.post(SAVE, {"action": "send", "mobile": "09121234567"}).status_code == 200
    response = client.post(SAVE, {"action": "send", "mobile": "09121234567"})
    assert response.status_code == 429 and len(outbox) == 2
