"""Demo content for the wizard: the intake page at /request/ under the home page.
Called by `manage.py load_demo`; idempotent."""

from django.conf import settings

from . import holidays, survey
from .models import Holiday, IntakePage, IntakeSettings, SurveyAxis, SurveyQuestion, TrackPage

INTRO = (
    "<p>برای ثبت درخواست، ابتدا واحد سازمانی و نوع خدمت را انتخاب کنید، قوانین خدمت را بخوانید"
    " و سپس شش مرحله را کامل کنید. در پایان کد پیگیری به شما داده می‌شود.</p>"
)

TRACK_INTRO = (
    "<p>کاربر محترم لطفاً کد پیگیری خود را جهت تکمیل فرم نظرسنجی و یا پیگیری درخواست وارد نمایید.</p>"
)


def load(ctx):
    home = ctx.home
    page = IntakePage.objects.child_of(home).first()
    if page is None:
        page = IntakePage(title="ثبت درخواست ارباب رجوع", slug="request", intro=INTRO, locale=home.locale)
        home.add_child(instance=page)
        page.save_revision().publish()
        _say(ctx, "intake page created at /request/")
    for site in home.sites_rooted_here.all():
        IntakeSettings.for_site(site)
    if not TrackPage.objects.child_of(home).exists():
        track = TrackPage(
            title="نظرسنجی و پیگیری درخواست", slug="track", intro=TRACK_INTRO, locale=home.locale
        )
        home.add_child(instance=track)
        track.save_revision().publish()
        _say(ctx, "follow-up page created at /track/")
    # The survey of SPEC.md section 4 (also seeded by migration 0003; kept if edited).
    survey.seed(SurveyAxis, SurveyQuestion)
    # Official holidays of 1405 and Nowruz 1406 (editors must check the lunar ones).
    if added := holidays.seed(Holiday):
        _say(ctx, f"{added} official holidays added")
    demo_letters(ctx)
    return page


def demo_letters(ctx):
    """Official letters need a certificate: the self-signed demo one under the private
    media folder where the settings allow it (docs/letters.md), and the letterhead's
    «شمس» fields in the site settings when still empty."""
    from . import letters

    if settings.LETTER_SIGNING_DEMO and not settings.LETTER_SIGNING_P12:
        if not letters.demo_certificate_path().exists():
            letters.ensure_demo_certificate()
            _say(ctx, f"demo signing certificate made at {letters.demo_certificate_path()}")
    portal = letters.portal_settings()
    if portal.pk and not (portal.organisation_email or portal.organisation_national_id):
        portal.organisation_email = "dabirkhaneh@example.invalid"
        portal.organisation_national_id = "14000000000"
        portal.save(update_fields=["organisation_email", "organisation_national_id"])


def _say(ctx, text):
    stdout = getattr(ctx, "stdout", None)
    if stdout is not None:
        stdout.write(text)
