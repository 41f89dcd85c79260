"""«ذخیره و ادامه در زمانی دیگر»: a citizen keeps a wizard draft and goes on with it
later, in any browser (issue 19).

1. On any step the citizen presses the button; the step keeps what validated (as
   «مرحله قبل» does) and the save page asks for a mobile (step 4's, when typed).
2. A one-time code goes to that mobile (intake.otp, purpose bound to the draft).
3. With the right code, a resume link is made: a random token (`secrets`, 256 bits)
   whose SHA-256 alone is stored (ResumeLink), single use, expiring after
   INTAKE_RESUME_HOURS (72). It goes by SMS, the token masked in the SMS log and sealed
   in the task like a one-time code. Making a new link ends the draft's older ones.
4. Opening the link shows a page with one button (a phone's link preview must not
   use it up); pressing it uses the link, hands the draft to this browser's session
   and opens the first unfinished step, files included.

A used, expired, unknown or already submitted link says so in Persian and changes
nothing. A draft with a live link outlives the usual clean-up age
(cleanup_intake_drafts) until the link expires.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.persian import to_persian_digits

from . import notifications, otp, sms
from .models import ResumeLink
from .validators import normalise_mobile

DEFAULT_HOURS = 72

# Why a link cannot be used (the page says so; nothing changes).
UNKNOWN = (
    "این پیوند معتبر نیست. نشانی را همان‌طور که در پیامک آمده است باز کنید، یا ثبت درخواست را از نو آغاز کنید."
)
USED = "این پیوند پیش‌تر یک بار به کار رفته است و دوباره کار نمی‌کند. اگر هنوز درخواست را ثبت نکرده‌اید، در همان مرورگری که با آن ادامه دادید ادامه دهید یا پیوند تازه بگیرید."
EXPIRED = "مهلت این پیوند گذشته است (پیوند ادامه تا {hours} ساعت پس از ساخت کار می‌کند). ثبت درخواست را از نو آغاز کنید."
SUBMITTED = (
    "درخواستی که این پیوند به آن می‌رسید پیش‌تر ثبت شده است؛ برای دیدن وضعیت آن از کد پیگیری استفاده کنید."
)


def hours():
    return int(getattr(settings, "INTAKE_RESUME_HOURS", DEFAULT_HOURS))


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def purpose(draft):
    """The one-time code's purpose: this draft only."""
    return f"resume:{draft.key}"


def suggested_mobile(draft):
    """The mobile typed on step 4, if any."""
    return draft.data.get("4", {}).get("mobile", "")


class MobileForm(forms.Form):
    mobile = forms.CharField(
        label="تلفن همراه",
        max_length=40,
        help_text="پیوند ادامه ثبت به این شماره پیامک می‌شود؛ پیش از آن، یک کد تایید به همین شماره می‌فرستیم.",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel", "dir": "ltr"}),
        error_messages={
            "required": "شماره تلفن همراه را وارد کنید.",
            "max_length": "شماره تلفن همراه بیش از اندازه بلند است.",
            "null_characters_not_allowed": "شماره تلفن همراه نویسه‌های نامعتبر دارد.",
        },
    )

    def clean_mobile(self):
        return normalise_mobile(self.cleaned_data["mobile"])


def send_code(draft, mobile):
    """A fresh one-time code for this draft, by SMS to `mobile`."""
    return otp.issue(purpose(draft), mobile)


def link_text(url):
    return (
        "برای ادامه ثبت درخواست در میز خدمت این پیوند را باز کنید "
        f"(یک بار و تا {to_persian_digits(hours())} ساعت):\n{url}\nمیز خدمت"
    )


def make_link(draft, mobile, code, url_for):
    """With the right code: a new link for the draft, sent by SMS to `mobile`, the
    draft's older links ended. `url_for(token)` gives the link's full address. Returns
    the ResumeLink, or None for a wrong, expired or used-up code (nothing written)."""
    if not otp.verify(purpose(draft), code):
        return None
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic():
        ResumeLink.objects.filter(draft=draft, used_at__isnull=True).update(used_at=now)
        link = ResumeLink.objects.create(
            draft=draft,
            token_hash=token_hash(token),
            mobile=mobile,
            expires_at=now + timedelta(hours=hours()),
        )
    # The SMS log keeps the address with PLACEHOLDER for the token (as for a code).
    notifications.queue_text(None, mobile, link_text(url_for(sms.PLACEHOLDER)), secret=token)
    return link


@dataclass
class Found:
    """What a token leads to: the link and why it cannot be used (None when it can)."""

    link: ResumeLink | None
    problem: str | None


def find(token):
    """The link of `token` and whether it may be used now (reads only)."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return Found(None, UNKNOWN)
    link = ResumeLink.objects.select_related("draft").filter(token_hash=token_hash(token)).first()
    return Found(link, problem_with(link))


def problem_with(link):
    if link is None:
        return UNKNOWN
    if link.draft.submitted_at is not None:
        return SUBMITTED
    if link.used_at is not None:
        return USED
    if link.expires_at <= timezone.now():
        return EXPIRED.format(hours=to_persian_digits(hours()))
    return None


def redeem(token):
    """Use the link once: (draft, None), or (None, the Persian reason) and nothing changed."""
    with transaction.atomic():
        link = (
            ResumeLink.objects.select_for_update()
            .select_related("draft")
            .filter(token_hash=token_hash(token))
            .first()
        )
        problem = problem_with(link)
        if problem:
            return None, problem
        link.used_at = timezone.now()
        link.save(update_fields=["used_at"])
        draft = link.draft
        draft.updated_at = link.used_at  # the clean-up's clock starts again
        draft.save(update_fields=["updated_at"])
    return draft, None


def kept_by_a_link():
    """Drafts a live link keeps beyond the clean-up age (for cleanup_intake_drafts)."""
    return ResumeLink.objects.filter(used_at__isnull=True, expires_at__gt=timezone.now()).values("draft_id")
