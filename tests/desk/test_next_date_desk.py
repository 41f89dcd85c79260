"""«تاریخ اقدام بعدی» at the desk: the status and note forms take the date (never a
past one), the request page and the desk API show it (tests/intake/test_next_date.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from intake import services
from intake.models import ServiceRequest
from portal.jalali import format_jalali_date
from tests.desk.test_api import Api, token_for

pytestmark = pytest.mark.django_db

Status = ServiceRequest.Status


def in_days(days):
    return timezone.localdate() + datetime.timedelta(days=days)


def staff(desk_world, client):
    client.force_login(desk_world["staff_a"])
    return desk_world["request_a"]


def post(client, req, action, data):
    payload = {f"{action}-{name}": value for name, value in data.items()}
    payload[f"{action}-expected_status"] = req.status
    return client.post(reverse("desk_requests:action", args=(req.pk, action)), payload)


def jalali(date):
    return format_jalali_date(date)


def test_the_note_form_takes_a_date_and_refuses_a_past_one(client, desk_world):
    req = staff(desk_world, client)
    response = post(client, req, "note", {"next_date": jalali(in_days(-2))})
    assert (
        response.status_code == 400
        and "تاریخ اقدام بعدی نمی‌تواند پیش از امروز باشد." in response.content.decode()
    )
    assert ServiceRequest.objects.get(pk=req.pk).next_date is None
    response = post(client, req, "note", {"next_date": jalali(in_days(6))})
    assert response.status_code == 302
    assert ServiceRequest.objects.get(pk=req.pk).next_date == in_days(6)
    page = client.get(reverse("desk_requests:detail", args=(req.pk,))).content.decode()
    assert "تاریخ اقدام بعدی: " + format_jalali_date(in_days(6), long=True) in page
    # The status form has no text input (Enter there would change a status).
    assert 'name="status-next_date"' not in page and 'name="note-next_date"' in page


def test_the_api_shows_the_next_date(client, desk_world):
    req = desk_world["request_a"]
    services.add_note(req, None, next_date=in_days(2))
    api = Api(client, token_for(desk_world["staff_a"]))
    events = api.get(f"/requests/{req.tracking_code}/events").json()
    assert events[-1]["next_date"] == in_days(2).isoformat()
    assert api.get(f"/requests/{req.tracking_code}").json()["next_date"] == in_days(2).isoformat()
