from django.db import models


class Generation(models.Model):
    """One row whose value goes up after every committed change to public content (pages,
    sites, locales, view restrictions, units, site settings, the dashboard menu).

    Every process reads it once per search request: what search keeps in memory
    (the autocomplete index, unit list, links) and the cached responses are keyed by it,
    so a change made by any worker, the admin or a management command is seen by all of
    them at once, with or without a shared cache."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "نسخه محتوای عمومی"

    def __str__(self):
        return str(self.value)
