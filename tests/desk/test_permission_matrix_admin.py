"""Who may list, open, export, download and act on which request, in the admin.
Outside one's scope a request does not exist (404); managers read but never act."""

import csv
import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from intake.models import RequestAttachment, RequestEvent, ServiceRequest
from portal.persian import canonical_digits, to_persian_digits

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def attach(req):
    attachment = RequestAttachment(
        request=req, original_name="مدرک.pdf", content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("test.pdf", ContentFile(PDF), save=False)
    attachment.save()
    return attachment


@pytest.fixture
def world(desk_world):
    desk_world["file_a"] = attach(desk_world["request_a"])
    desk_world["file_b"] = attach(desk_world["request_b"])
    return desk_world


def urls(world, key):
    req = world[f"request_{key}"]
    return {
        "detail": reverse("desk_requests:detail", args=(req.pk,)),
        "attachment": reverse("desk_requests:attachment", args=(req.pk, world[f"file_{key}"].pk)),
        "action": reverse("desk_requests:action", args=(req.pk, "note")),
    }


def csv_codes(client, **params):
    response = client.get("/admin/requests/", {"export": "csv", **params})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    # Codes go out in Persian digits (text to a spreadsheet program): read them canonical.
    return {canonical_digits(row[0]) for row in list(csv.reader(io.StringIO(text)))[1:]}


def note(client, world, key):
    req = world[f"request_{key}"]
    return client.post(
        urls(world, key)["action"], {"note-expected_status": req.status, "note-internal_note": "یادداشت"}
    )


# (user, sees A, sees B, acts on A, acts on B)
MATRIX = [
    ("staff_a", True, False, True, False),
    ("staff_b", False, True, False, True),
    ("manager", True, True, False, False),
    ("superuser", True, True, True, True),
    ("editor", False, False, False, False),
]


@pytest.mark.parametrize(("user", "sees_a", "sees_b", "acts_a", "acts_b"), MATRIX)
def test_permission_matrix(client, world, user, sees_a, sees_b, acts_a, acts_b):
    client.force_login(world[user])
    listing = client.get("/admin/requests/")
    if user == "editor":
        assert listing.status_code in (302, 403)
    else:
        body = listing.content.decode()
        exported = csv_codes(client)
        for key, sees in (("a", sees_a), ("b", sees_b)):
            code = world[f"request_{key}"].tracking_code
            assert (to_persian_digits(code) in body) is sees
            assert (code in exported) is sees
        # Filtering on the other unit or searching its code never reveals it.
        for key, sees in (("a", sees_a), ("b", sees_b)):
            code = world[f"request_{key}"].tracking_code
            assert (code in csv_codes(client, q=code)) is sees
            assert (code in csv_codes(client, unit=world[f"unit_{key}"].pk)) is sees
        xlsx = client.get("/admin/requests/", {"export": "xlsx"})
        assert xlsx.status_code == 200
    for key, sees, acts in (("a", sees_a, acts_a), ("b", sees_b, acts_b)):
        links = urls(world, key)
        assert client.get(links["detail"]).status_code == (200 if sees else 404)
        download = client.get(links["attachment"])
        assert download.status_code == (200 if sees else 404)
        if sees:
            assert download["Content-Disposition"].startswith("attachment;")
            assert download["X-Content-Type-Options"] == "nosniff"
            assert b"".join(download.streaming_content) == PDF
        events = RequestEvent.objects.count()
        response = note(client, world, key)
        if acts:
            assert response.status_code == 302
            assert RequestEvent.objects.count() == events + 1
        else:
            # managers: Wagtail turns PermissionDenied into a redirect with a message
            assert response.status_code in ((302, 403) if sees else (404,))
            assert RequestEvent.objects.count() == events


def test_attachment_of_another_request_through_own_request_url_is_404(client, world):
    client.force_login(world["staff_a"])
    url = reverse("desk_requests:attachment", args=(world["request_a"].pk, world["file_b"].pk))
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login(client, world):
    for url in urls(world, "a").values():
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_inactive_or_unitless_staff_see_nothing(client, world):
    from desk import scoping
    from tests.desk.conftest import make_user

    nobody = make_user("nounits", scoping.DESK_STAFF)
    client.force_login(nobody)
    assert csv_codes(client) == set()
    assert client.get(urls(world, "a")["detail"]).status_code == 404
    assert ServiceRequest.objects.count() == 2


def test_staff_units_admin_is_for_superusers(client, world):
    client.force_login(world["staff_a"])
    assert client.get("/admin/staff-units/").status_code in (302, 403)
    client.force_login(world["superuser"])
    response = client.get("/admin/staff-units/")
    assert response.status_code == 200
    assert "staff_a" in response.content.decode() and "واحد الف" in response.content.decode()
