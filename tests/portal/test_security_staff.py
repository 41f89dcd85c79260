"""Staff sign-in: lockout after repeated failures, session expiry, optional
two-factor sign-in (TOTP computed here, RFC 6238)."""

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.persian import to_persian_digits
from staffauth import twofactor
from staffauth.models import StaffSecuritySettings

PASSWORD = "a-long-staff-password-1404"


def totp(secret_b32, at=None):
    """RFC 6238 with SHA-1, 30-second steps, 6 digits."""
    secret = secret_b32.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((at if at is not None else time.time()) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


@pytest.fixture
def staff(db, home, django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.com", PASSWORD)


def sign_in(client, username="editor", password=PASSWORD, address="10.1.1.1"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


# Lockout ---------------------------------------------------------------------


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_five_wrong_passwords_lock_the_name_out_from_that_address(client, staff):
    for _ in range(4):
        response = sign_in(client, password="guess")
        assert response.status_code == 200  # the sign-in form again, with its error
    response = sign_in(client, password="guess")
    assert response.status_code == 429
    assert "ورود موقتاً ممکن نیست" in response.content.decode()
    # Even the right password is refused now, from that address...
    response = sign_in(client)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    # ...while the same person from another address still gets in.
    other = type(client)()
    response = sign_in(other, address="10.2.2.2")
    assert response.status_code == 302
    assert other.get("/admin/").status_code == 200


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
def test_a_successful_sign_in_resets_the_count(client, staff):
    for _ in range(4):
        sign_in(client, password="guess")
    assert sign_in(client).status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, password="guess").status_code == 200


# Session expiry --------------------------------------------------------------


def age_session(client, idle_for=0, signed_in_for=0):
    session = client.session
    now = int(time.time())
    session[twofactor.LAST_SEEN] = now - idle_for
    session[twofactor.LOGIN_AT] = now - signed_in_for
    session.save()


@override_settings(STAFF_SESSION_IDLE_SECONDS=1800, STAFF_SESSION_MAX_SECONDS=36000)
def test_an_idle_staff_session_ends(client, staff):
    assert sign_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.session.get_expiry_age() <= 1800
    age_session(client, idle_for=1700, signed_in_for=1700)
    assert client.get("/admin/").status_code == 200  # activity within the limit
    assert time.time() - client.session[twofactor.LAST_SEEN] < 60  # and it counts as activity
    age_session(client, idle_for=1801, signed_in_for=1801)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session


@override_settings(STAFF_SESSION_IDLE_SECONDS=1800, STAFF_SESSION_MAX_SECONDS=36000)
def test_a_staff_session_ends_after_its_longest_life_even_when_active(client, staff):
    assert sign_in(client).status_code == 302
    age_session(client, idle_for=10, signed_in_for=36001)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


@override_settings(STAFF_SESSION_IDLE_SECONDS=1800)
def test_the_editing_session_ping_is_not_activity(client, staff):
    assert sign_in(client).status_code == 302
    age_session(client, idle_for=600, signed_in_for=600)
    client.post("/admin/editing-sessions/ping/x/1/0/")  # whatever it answers
    assert time.time() - client.session[twofactor.LAST_SEEN] >= 600


# Two-factor sign-in ----------------------------------------------------------


def require_two_factor(on=True):
    settings_row = StaffSecuritySettings.load()
    settings_row.require_two_factor = on
    settings_row.save()


def secret_on(page):
    return re.search(r'<code dir="ltr">([A-Z2-7 ]+)</code>', page.content.decode()).group(1)


def test_without_the_requirement_staff_go_straight_in(client, staff):
    assert sign_in(client).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_when_required_staff_set_up_a_device_before_any_admin_view(client, staff):
    require_two_factor()
    assert sign_in(client).status_code == 302
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/2fa/setup/?next=%2Fadmin%2Fpages%2F"
    setup = client.get(response["Location"])
    assert setup.status_code == 200
    body = setup.content.decode()
    assert "راه‌اندازی ورود دومرحله‌ای" in body and 'for="id_token"' in body
    qr = client.get("/staff/2fa/setup/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert "no-store" in qr["Cache-Control"]
    secret = secret_on(setup)
    # A wrong code: a Persian message, no device confirmed, still no admin.
    wrong = f"{(int(totp(secret)) + 1) % 1_000_000:06d}"
    response = client.post("/staff/2fa/setup/", {"token": wrong, "next": "/admin/pages/"})
    assert response.status_code == 200
    assert "کد واردشده درست نیست" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert client.get("/admin/").status_code == 302
    # Guessing is slowed down: right after a wrong code even the right one waits.
    response = client.post("/staff/2fa/setup/", {"token": totp(secret), "next": "/admin/pages/"})
    assert "کمی صبر کنید" in response.content.decode()
    time.sleep(1.1)
    # The right code (typed in Persian digits) confirms the device and opens the admin.
    response = client.post(
        "/staff/2fa/setup/", {"token": to_persian_digits(totp(secret)), "next": "/admin/pages/"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/pages/"
    assert TOTPDevice.objects.filter(user=staff, confirmed=True).count() == 1
    assert client.get("/admin/pages/").status_code == 200

    # Next sign-in: the code is asked for again, on the verify page.
    client.logout()
    assert sign_in(client).status_code == 302
    response = client.get("/admin/")
    assert response["Location"] == "/staff/2fa/verify/?next=%2Fadmin%2F"
    response = client.post("/staff/2fa/verify/", {"token": "123", "next": "/admin/"})
    assert "کد باید شش رقم باشد" in response.content.decode()
    # The code already used at setup cannot be replayed; the next step's code works.
    next_code = totp(secret, at=time.time() + 30)
    response = client.post("/staff/2fa/verify/", {"token": next_code, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_foreign_next_address_is_not_followed(client, staff):
    require_two_factor()
    sign_in(client)
    setup = client.get("/staff/2fa/setup/")
    response = client.post(
        "/staff/2fa/setup/", {"token": totp(secret_on(setup)), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/admin/"


@override_settings(STAFF_2FA_REQUIRED=True)
def test_the_environment_switch_requires_it_too(client, staff):
    assert sign_in(client).status_code == 302
    assert client.get("/admin/")["Location"].startswith("/staff/2fa/setup/")


def test_a_device_once_set_up_is_always_asked_for(client, staff):
    TOTPDevice.objects.create(user=staff, name="x", confirmed=True)
    assert sign_in(client).status_code == 302
    assert client.get("/admin/")["Location"].startswith("/staff/2fa/verify/")


def test_sign_in_pages_and_citizen_pages_stay_open_before_the_second_step(client, staff):
    require_two_factor()
    sign_in(client)
    assert client.get("/").status_code == 200
    assert client.get("/admin/login/").status_code in (200, 302)
    assert client.get("/staff/2fa/verify/")["Location"].startswith("/staff/2fa/setup/")


def test_the_switch_is_a_setting_the_admin_edits(client, staff):
    assert StaffSecuritySettings._meta.get_field("require_two_factor").verbose_name == (
        "الزام ورود دومرحله‌ای برای کارکنان"
    )
    sign_in(client)
    response = client.get("/admin/settings/staffauth/staffsecuritysettings/", follow=True)
    assert response.status_code == 200
    assert "الزام ورود دومرحله‌ای برای کارکنان" in response.content.decode()
    # The admin ticks it: from the next admin page on, the second step is asked for.
    url = response.redirect_chain[-1][0]
    response = client.post(url, {"require_two_factor": "on"})
    assert response.status_code == 302
    assert StaffSecuritySettings.load().require_two_factor is True
    assert client.get("/admin/")["Location"].startswith("/staff/2fa/setup/")


def test_the_two_factor_pages_need_a_signed_in_user(client, db):
    response = client.get("/staff/2fa/setup/")
    assert response["Location"].startswith("/admin/login/")
    assert client.get("/staff/2fa/setup/qr.svg").status_code == 404


@pytest.mark.django_db
def test_the_staff_sign_in_form_is_labelled_in_persian(client):
    html = client.get("/admin/login/").content.decode()
    label = re.search(r'<label[^>]*for="id_password"[^>]*>\s*([^<]+)', html)
    assert label and label.group(1).strip() == "گذرواژه"
    assert ">\n            Password<" not in html


# Unused doors ------------------------------------------------------------------


def test_django_admin_is_not_served(client, staff):
    assert client.get("/django-admin/").status_code == 404
    sign_in(client)
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/django-admin/otp_totp/totpdevice/").status_code == 404


def test_wagtails_bare_sign_in_page_sends_staff_to_the_admin_sign_in(client, staff):
    response = client.get("/_util/login/?next=/private/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/private/"
    # A password posted there signs no one in.
    client.post("/_util/login/", {"username": "editor", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_a_private_page_asks_for_the_admin_sign_in_and_returns_to_it(client, staff, home):
    from wagtail.models import PageViewRestriction

    PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/")
    signed_in = client.post(
        "/admin/login/", {"username": "editor", "password": PASSWORD, "next": "/"}, REMOTE_ADDR="10.1.1.1"
    )
    assert signed_in["Location"] == "/"
    assert client.get("/").status_code == 200


# Resetting a lost phone ----------------------------------------------------------


def test_a_superuser_resets_a_staff_members_device(client, staff, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", PASSWORD)
    other = django_user_model.objects.create_user("other", "other@example.com", PASSWORD)
    TOTPDevice.objects.create(user=clerk, name="x", confirmed=True)
    TOTPDevice.objects.create(user=other, name="y", confirmed=True)
    sign_in(client)
    listing = client.get("/admin/users/")
    body = listing.content.decode()
    assert "بازنشانی ورود دومرحله‌ای" in body
    url = f"/admin/staff-2fa/reset/{clerk.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "دستگاه ورود دومرحله‌ای «<bdi>clerk</bdi>» حذف می‌شود" in page.content.decode()
    assert TOTPDevice.objects.filter(user=clerk).exists()  # a GET changes nothing
    response = client.post(url)
    assert response["Location"] == "/admin/users/"
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    assert TOTPDevice.objects.filter(user=other).exists()


def test_only_a_superuser_may_reset_a_device(client, staff, django_user_model):
    from django.contrib.auth.models import Permission

    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", PASSWORD)
    clerk.user_permissions.add(Permission.objects.get(codename="access_admin"))
    TOTPDevice.objects.create(user=staff, name="x", confirmed=True)
    client.force_login(clerk)
    response = client.post(f"/admin/staff-2fa/reset/{staff.pk}/")
    assert response.status_code in (302, 403)
    assert TOTPDevice.objects.filter(user=staff).exists()
