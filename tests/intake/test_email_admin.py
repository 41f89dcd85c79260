"""The emails sent to citizens, read-only in the admin (Settings → ایمیل‌های ارسالی):
listed and opened by whoever holds the view permission, never added, edited or deleted."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission

from intake.models import EmailMessage
from portal.persian import to_persian_digits
from tests.intake.requests import make_request

pytestmark = pytest.mark.django_db
LIST = "/admin/intake-emails/"


@pytest.fixture
def message(service):
    request_obj = make_request(service, email="citizen@example.com")
    return EmailMessage.objects.create(
        request=request_obj,
        kind="status",
        recipient="citizen@example.com",
        subject="وضعیت درخواست شما: در حال بررسی",
        text="متن نامه",
        html="<p>متن نامه</p>",
        status="failed",
        attempts=3,
        last_error="SMTP server unreachable: ConnectionRefusedError",
    )


def staff(*codenames):
    user = get_user_model().objects.create_user("clerk", password="pass-1234-word")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def test_superuser_lists_and_opens_but_never_edits(client, message):
    client.force_login(get_user_model().objects.create_superuser("root", password="pass-1234-word"))
    listing = client.get(LIST).content.decode()
    assert "وضعیت درخواست شما: در حال بررسی" in listing
    assert to_persian_digits(message.request.tracking_code) in listing
    assert "ارسال نشد" in listing and "۳" in listing
    assert f"{LIST}new/" not in listing and f"{LIST}edit/" not in listing
    page = client.get(f"{LIST}inspect/{message.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "citizen@example.com" in body and "ConnectionRefusedError" in body and "متن نامه" in body
    assert client.get(f"{LIST}new/").status_code != 200
    assert client.get(f"{LIST}edit/{message.pk}/").status_code != 200
    assert client.post(f"{LIST}delete/{message.pk}/").status_code != 200
    assert EmailMessage.objects.filter(pk=message.pk, status="failed").exists()


def test_staff_without_the_view_permission_see_nothing(client, message):
    client.force_login(staff("change_emailmessage", "delete_emailmessage"))
    assert client.get(LIST).status_code != 200
    assert client.get(f"{LIST}inspect/{message.pk}/").status_code != 200
    client.post(f"{LIST}delete/{message.pk}/")
    assert EmailMessage.objects.filter(pk=message.pk).exists()


def test_the_view_permission_opens_the_list(client, message):
    client.force_login(staff("view_emailmessage"))
    assert client.get(LIST).status_code == 200
    assert client.get(f"{LIST}inspect/{message.pk}/").status_code == 200
