"""Official holidays (تعطیلات رسمی) and the due date of a request.

The seed below is the 1405 list plus Nowruz 1406. The solar holidays are fixed;
the lunar ones were computed (Umm al-Qura calendar, one day later as Iran's moon
sighting usually is) and MAY BE A DAY OFF: editors must check them against the
official calendar of the year (snippets → «تعطیلات رسمی») and add each new
year's list. Fridays are never working days and are not listed.
"""

from django.utils import timezone

from portal.jalali import parse_jalali
from portal.workdays import add_working_days, days_off_from_settings, working_days_between

from .models import Holiday

SEED = [
    ("1405/01/01", "عید نوروز"),
    ("1405/01/02", "عید نوروز (و عید سعید فطر، بنا بر رؤیت هلال)"),
    ("1405/01/03", "عید نوروز"),
    ("1405/01/04", "عید نوروز"),
    ("1405/01/12", "روز جمهوری اسلامی"),
    ("1405/01/13", "روز طبیعت"),
    ("1405/01/25", "شهادت امام جعفر صادق (ع)"),
    ("1405/03/07", "عید سعید قربان"),
    ("1405/03/14", "رحلت حضرت امام خمینی (ره)"),
    ("1405/03/15", "قیام ۱۵ خرداد و عید سعید غدیر خم"),
    ("1405/04/04", "تاسوعای حسینی"),
    ("1405/04/05", "عاشورای حسینی"),
    ("1405/05/13", "اربعین حسینی"),
    ("1405/05/21", "رحلت رسول اکرم (ص) و شهادت امام حسن مجتبی (ع)"),
    ("1405/05/23", "شهادت امام رضا (ع)"),
    ("1405/05/31", "شهادت امام حسن عسکری (ع)"),
    ("1405/06/09", "میلاد رسول اکرم (ص) و امام جعفر صادق (ع)"),
    ("1405/08/23", "شهادت حضرت فاطمه زهرا (س)"),
    ("1405/10/02", "ولادت امام علی (ع) و روز پدر"),
    ("1405/10/16", "مبعث رسول اکرم (ص)"),
    ("1405/11/04", "ولادت حضرت قائم (عج) و جشن نیمه شعبان"),
    ("1405/11/22", "پیروزی انقلاب اسلامی"),
    ("1405/12/10", "شهادت حضرت علی (ع)"),
    ("1405/12/19", "عید سعید فطر"),
    ("1405/12/20", "تعطیل به مناسبت عید سعید فطر"),
    ("1405/12/29", "روز ملی شدن صنعت نفت"),
    ("1406/01/01", "عید نوروز"),
    ("1406/01/02", "عید نوروز"),
    ("1406/01/03", "عید نوروز"),
    ("1406/01/04", "عید نوروز"),
    ("1406/01/12", "روز جمهوری اسلامی"),
    ("1406/01/13", "روز طبیعت"),
]


def seed(holiday_model):
    """Add the seeded holidays whose dates are not listed yet (idempotent; an
    editor's own title for a date is kept). Returns how many were added."""
    existing = set(holiday_model.objects.values_list("date", flat=True))
    new = [
        holiday_model(date=parse_jalali(jalali), title=title)
        for jalali, title in SEED
        if parse_jalali(jalali) not in existing
    ]
    for holiday in new:  # one by one: each save is a change the due dates follow
        holiday.save()
    return len(new)


def due_date(submitted_at, processing_days):
    """The due date of a request submitted at `submitted_at` (the Nth working day
    after its local date; portal.workdays has the rules), or None without a
    processing time. Reads the holidays after that date (one short query)."""
    if processing_days is None:
        return None
    start = timezone.localdate(submitted_at)
    holidays = frozenset(Holiday.objects.filter(date__gt=start).values_list("date", flat=True))
    return add_working_days(start, processing_days, holidays, days_off_from_settings())


def extend_due_date(due_date, waiting_since, now):
    """The due date moved on by the working days spent waiting: those after the local
    date the wait began, up to and including the local date it ended (a wait within
    one day adds nothing; Fridays and official holidays are never counted)."""
    if due_date is None or waiting_since is None:
        return due_date
    began, ended = timezone.localdate(waiting_since), timezone.localdate(now)
    if ended <= began:
        return due_date
    days_off = days_off_from_settings()
    holidays = frozenset(Holiday.objects.filter(date__gt=min(began, due_date)).values_list("date", flat=True))
    waited = working_days_between(began, ended, holidays, days_off)
    return add_working_days(due_date, waited, holidays, days_off) if waited > 0 else due_date
