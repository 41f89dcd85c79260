"""The admin's switch for staff two-factor sign-in (Settings in the Wagtail admin)."""

from django.db import models
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="lock")
class StaffSecuritySettings(BaseGenericSetting):
    require_two_factor = models.BooleanField(
        "الزام ورود دومرحله‌ای برای کارکنان",
        default=False,
        help_text=(
            "وقتی روشن باشد، هر کارمند پیش از دیدن هر صفحه مدیریت باید کد شش‌رقمی "
            "برنامه احراز هویت (مانند Google Authenticator یا FreeOTP) را وارد کند؛ "
            "کسی که هنوز دستگاهی ثبت نکرده به صفحه راه‌اندازی فرستاده می‌شود."
        ),
    )

    class Meta:
        verbose_name = "امنیت ورود کارکنان"
