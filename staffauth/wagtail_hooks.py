"""The Wagtail admin's door to resetting a staff member's second sign-in step."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from . import views


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("staff-2fa/reset/<int:user_id>/", views.reset_device, name="staffauth_reset")]


@hooks.register("register_user_listing_buttons")
def reset_button(user, request_user):
    if request_user.is_superuser:
        yield Button(
            "بازنشانی ورود دومرحله‌ای",
            reverse("staffauth_reset", args=[user.pk]),
            icon_name="key",
            priority=90,
        )
