"""Hostile values in the staff sign-in forms (the admin's, and the second step's
code): never a 5xx, nobody signed in, no device changed."""

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.hostile.payloads import RAW_FORM_VALUES, TEXT, raw_form_body

PASSWORD = "a-long-staff-password-1404"


@pytest.fixture
def staff(db, home, django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.com", PASSWORD)


def cases():
    return [(name, value, None) for name, value in TEXT.items()] + [
        (name, None, raw) for name, raw in RAW_FORM_VALUES.items()
    ]


def post(client, url, data, field, value, raw):
    if raw is None:
        return client.post(url, {**data, field: value}, REMOTE_ADDR="10.9.9.9")
    body = raw_form_body(data, field, raw)
    return client.post(url, body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR="10.9.9.9")


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=1000)
@pytest.mark.parametrize("field", ["username", "password"])
def test_the_admin_sign_in(client, staff, field):
    data = {"username": "editor", "password": "wrong-password"}
    failures = []
    for name, value, raw in cases():
        response = post(client, "/admin/login/", data, field, value, raw)
        if response.status_code >= 500:
            failures.append(f"{name}: {response.status_code}")
        if "_auth_user_id" in client.session:
            failures.append(f"{name}: signed in")
    assert not failures, failures


@override_settings(STAFF_2FA_REQUIRED=True)
@pytest.mark.parametrize("url", ["/staff/2fa/setup/", "/staff/2fa/verify/"])
def test_the_second_step_code(client, staff, url):
    if url.endswith("verify/"):
        TOTPDevice.objects.create(user=staff, name="x", confirmed=True)
    client.force_login(staff)
    devices = list(TOTPDevice.objects.values_list("pk", "confirmed"))
    failures = []
    for name, value, raw in cases():
        response = post(client, url, {}, "token", value, raw)
        if response.status_code >= 500:
            failures.append(f"{name}: {response.status_code}")
        for device in TOTPDevice.objects.filter(confirmed=True):
            if (device.pk, True) not in devices:
                failures.append(f"{name}: a device was confirmed")
    assert not failures, failures
