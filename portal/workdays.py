"""Working-day arithmetic for service-level targets (مهلت پاسخ‌گویی). Pure functions;
imports nothing of ours.

The rules (docs: README «مهلت پاسخ‌گویی»):

- A working day is a day that is neither a weekly day off nor an official holiday.
  The weekly days off are the setting WORKWEEK_DAYS_OFF, a list of Python weekday
  numbers (Monday 0 … Sunday 6). The default is Friday only (``[4]``), as the issue
  asks. Many provinces' government offices have also been closed on Thursdays since
  1403; a deployment for such a province sets ``WORKWEEK_DAYS_OFF = [3, 4]``.
- Official holidays are a set of dates (intake.models.Holiday, kept by editors).
- The day of submission is never counted, whatever the hour and whatever the day:
  the due date is the Nth working day *after* the submission date (in Asia/Tehran
  local time). So a request sent on a Friday, a holiday, or at 23:00 after office
  hours starts counting on the next working day, exactly like one sent at 08:00:
  one rule, no office-hours table to keep, and never shorter than N full working days.
- Zero days: the due date is the submission date itself.
"""

import datetime

FRIDAY = 4  # datetime.date.weekday()
DEFAULT_DAYS_OFF = frozenset({FRIDAY})
_ONE_DAY = datetime.timedelta(days=1)


def days_off_from_settings():
    """The weekly days off from settings.WORKWEEK_DAYS_OFF (default: Friday only)."""
    from django.conf import settings

    value = getattr(settings, "WORKWEEK_DAYS_OFF", None)
    return DEFAULT_DAYS_OFF if value is None else frozenset(int(day) for day in value)


def _check(days_off):
    days_off = DEFAULT_DAYS_OFF if days_off is None else frozenset(days_off)
    if set(range(7)) <= days_off:
        raise ValueError("every day of the week is a day off")
    return days_off


def is_working_day(day, holidays=(), days_off=None):
    days_off = _check(days_off)
    return day.weekday() not in days_off and day not in holidays


def add_working_days(start, days, holidays=(), days_off=None):
    """The `days`-th working day after `start` (start itself never counts);
    `start` for days == 0."""
    if days < 0:
        raise ValueError("days must not be negative")
    days_off = _check(days_off)
    holidays = holidays if isinstance(holidays, (set, frozenset)) else frozenset(holidays)
    current = start
    remaining = days
    while remaining:
        current += _ONE_DAY
        if current.weekday() not in days_off and current not in holidays:
            remaining -= 1
    return current


def working_days_between(start, end, holidays=(), days_off=None):
    """How many working days d with start < d <= end (negative when end is before
    start). add_working_days(s, n) == e implies working_days_between(s, e) == n."""
    if end < start:
        return -working_days_between(end, start, holidays, days_off)
    days_off = _check(days_off)
    holidays = holidays if isinstance(holidays, (set, frozenset)) else frozenset(holidays)
    span = (end - start).days
    full_weeks, rest = divmod(span, 7)
    count = full_weeks * (7 - len(days_off & set(range(7))))
    day = start + datetime.timedelta(days=full_weeks * 7)
    for _ in range(rest):
        day += _ONE_DAY
        if day.weekday() not in days_off:
            count += 1
    count -= sum(1 for holiday in holidays if start < holiday <= end and holiday.weekday() not in days_off)
    return count
