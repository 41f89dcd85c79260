"""Set up and pass the second sign-in step (TOTP) for staff."""

import base64
import io
import logging
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_otp import devices_for_user, match_token, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import TokenForm

logger = logging.getLogger(__name__)

DEVICE_NAME = "برنامه احراز هویت"
WRONG_CODE = "کد واردشده درست نیست یا زمان آن گذشته است؛ کد تازه را از برنامه وارد کنید."
# django-otp doubles the wait after each wrong code (1, 2, 4, … seconds).
THROTTLED = "پس از کد نادرست باید کمی صبر کنید؛ چند ثانیه دیگر کد تازه را وارد کنید."


def _throttled(devices):
    return any(not device.verify_is_allowed()[0] for device in devices)


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _sign_in_first(request):
    return redirect(f"{reverse('wagtailadmin_login')}?{urlencode({'next': request.get_full_path()})}")


def _pending_device(user):
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def _grouped_secret(device):
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
def setup(request):
    if not request.user.is_authenticated:
        return _sign_in_first(request)
    if user_has_device(request.user):
        return redirect(f"{reverse('staffauth:verify')}?{urlencode({'next': _next_url(request)})}")
    device = _pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled([device]):
            form.add_error("token", THROTTLED)
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        else:
            form.add_error("token", WRONG_CODE)
    context = {"form": form, "secret": _grouped_secret(device), "next": _next_url(request)}
    return render(request, "staffauth/setup.html", context)


@never_cache
@require_GET
def qr_code(request):
    """The pending device's otpauth:// address as an SVG QR code (same-origin image)."""
    if not request.user.is_authenticated or user_has_device(request.user):
        return HttpResponse(status=404)
    device = _pending_device(request.user)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def verify(request):
    if not request.user.is_authenticated:
        return _sign_in_first(request)
    if not user_has_device(request.user):
        return redirect(f"{reverse('staffauth:setup')}?{urlencode({'next': _next_url(request)})}")
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _throttled(devices_for_user(request.user)):
            form.add_error("token", THROTTLED)
        else:
            device = match_token(request.user, form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                return redirect(_next_url(request))
            form.add_error("token", WRONG_CODE)
    return render(request, "staffauth/verify.html", {"form": form, "next": _next_url(request)})


@never_cache
def reset_device(request, user_id):
    """«بازنشانی ورود دومرحله‌ای»: a superuser removes a staff member's TOTP devices
    (a lost phone); at the next sign-in that person sets up a new one. In the Wagtail
    admin (staffauth.wagtail_hooks), so behind its sign-in and the second step."""
    if not request.user.is_superuser:
        raise PermissionDenied
    user = get_object_or_404(get_user_model(), pk=user_id)
    devices = TOTPDevice.objects.filter(user=user)
    if request.method == "POST":
        count, _ = devices.delete()
        logger.info("two-factor devices reset for user %s by user %s", user.pk, request.user.pk)
        if count:
            messages.success(request, f"ورود دومرحله‌ای «{user.get_username()}» بازنشانی شد.")
        else:
            messages.info(request, f"«{user.get_username()}» دستگاه ورود دومرحله‌ای نداشت.")
        return redirect("wagtailusers_users:index")
    context = {"target": user, "has_device": devices.exists(), "header_title": "بازنشانی ورود دومرحله‌ای"}
    return render(request, "staffauth/reset.html", context)
