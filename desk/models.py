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


# Open311 (desk.open311) -------------------------------------------------------


class Open311Key(models.Model):
    """An Open311 GeoReport v2 api_key (کلید Open311) for a partner system that posts
    requests. Only a SHA-256 digest is stored; the key is shown once, when created
    in the admin (Settings → کلیدهای Open311). Revoked keys stay for the record."""

    PREFIX = "o311_"

    name = models.CharField(
        "نام سامانه", max_length=100, help_text="سامانه یا سازمانی که این کلید را به کار می‌برد."
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField("ابتدای کلید", max_length=16, editable=False)
    created_at = models.DateTimeField("ایجاد", auto_now_add=True)
    revoked_at = models.DateTimeField("باطل شده در", null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField("آخرین استفاده", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "کلید Open311"
        verbose_name_plural = "کلیدهای Open311"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest(key):
        import hashlib

        return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()

    @classmethod
    def create_key(cls, name):
        """(instance, plaintext key); the plaintext is never stored."""
        import secrets

        plaintext = cls.PREFIX + secrets.token_urlsafe(32)
        instance = cls.objects.create(name=name, key_hash=cls.digest(plaintext), prefix=plaintext[:10])
        return instance, plaintext

    @classmethod
    def authenticate(cls, key):
        """The active key matching `key`, or None (last use recorded)."""
        from django.utils import timezone

        if not key or not key.startswith(cls.PREFIX) or len(key) > 100:
            return None
        found = cls.objects.filter(key_hash=cls.digest(key), revoked_at__isnull=True).first()
        if found is not None:
            now = timezone.now()
            cls.objects.filter(pk=found.pk).update(last_used_at=now)
            found.last_used_at = now
        return found

    def revoke(self):
        from django.utils import timezone

        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])

    @property
    def active(self):
        return self.revoked_at is None
