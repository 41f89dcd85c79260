"""The staff side's own records: which units a staff member works for.
Requests live in intake and are written only by intake.services; the desk API's
tokens are Wagtail's own (wagtail.models.APIToken, managed in the admin).
"""

from django.conf import settings
from django.db import models


class StaffProfile(models.Model):
    """A staff member's units (واحدهای سازمانی کارمند). Desk staff see and act only
    on their units' requests; superusers and managers see all."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="کاربر",
        on_delete=models.CASCADE,
        related_name="staff_profile",
    )
    units = models.ManyToManyField(
        "services.OrgUnit",
        verbose_name="واحدهای سازمانی",
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "واحدهای کارمند"
        verbose_name_plural = "واحدهای کارکنان"

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()
