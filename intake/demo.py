"""Demo content for the wizard: the intake page at /request/ under the home page.
Called by `manage.py load_demo`; idempotent."""

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
    return page


def _say(ctx, text):
    stdout = getattr(ctx, "stdout", None)
    if stdout is not None:
        stdout.write(text)
