"""Working-day arithmetic: Fridays, holidays, the Jalali new year, zero days."""

import datetime

import jdatetime
import pytest

from portal.workdays import add_working_days, days_off_from_settings, is_working_day, working_days_between


def j(year, month, day):
    return jdatetime.date(year, month, day).togregorian()


# Nowruz 1405 and the days around it (1404/12/29 is a Friday and oil nationalisation day).
NOWRUZ_1405 = {j(1404, 12, 29), j(1405, 1, 1), j(1405, 1, 2), j(1405, 1, 3), j(1405, 1, 4)}
SIZDAH_1405 = {j(1405, 1, 12), j(1405, 1, 13)}


def test_a_plain_week_skips_friday():
    saturday = datetime.date(2026, 11, 21)  # 1405/08/30, a Saturday
    assert saturday.weekday() == 5
    assert add_working_days(saturday, 1) == datetime.date(2026, 11, 22)  # Sunday
    assert add_working_days(saturday, 5) == datetime.date(2026, 11, 26)  # Thursday
    assert add_working_days(saturday, 6) == datetime.date(2026, 11, 28)  # Saturday, Friday skipped


def test_the_day_of_submission_never_counts():
    thursday = datetime.date(2026, 11, 26)
    assert add_working_days(thursday, 1) == datetime.date(2026, 11, 28)  # Friday skipped


def test_zero_days_is_the_submission_date():
    friday = datetime.date(2026, 11, 27)
    assert add_working_days(friday, 0) == friday
    assert add_working_days(friday, 0, {friday}) == friday


def test_a_start_on_friday_counts_from_saturday():
    friday = datetime.date(2026, 11, 27)
    assert friday.weekday() == 4
    assert add_working_days(friday, 1) == datetime.date(2026, 11, 28)
    assert add_working_days(friday, 7) == datetime.date(2026, 12, 5)


def test_a_start_on_a_holiday_counts_from_the_next_working_day():
    holiday = j(1405, 3, 14)  # Thursday
    assert add_working_days(holiday, 1, {holiday, j(1405, 3, 15)}) == j(1405, 3, 16)


def test_holidays_are_skipped():
    monday = j(1405, 4, 1)  # 2026-06-22
    holidays = {j(1405, 4, 4), j(1405, 4, 5)}  # Tasua (Thursday) and Ashura (Friday)
    assert add_working_days(monday, 3) == j(1405, 4, 4)
    assert add_working_days(monday, 3, holidays) == j(1405, 4, 6)


def test_nowruz_across_the_jalali_new_year():
    # Submitted on Thursday 1404/12/28: Friday 12/29, 1-4 Farvardin are off.
    start = j(1404, 12, 28)
    assert add_working_days(start, 1, NOWRUZ_1405) == j(1405, 1, 5)
    assert add_working_days(start, 5, NOWRUZ_1405 | SIZDAH_1405) == j(1405, 1, 10)
    # 01/07 and 01/14 are Fridays; 12 and 13 Farvardin are holidays.
    assert add_working_days(start, 7, NOWRUZ_1405 | SIZDAH_1405) == j(1405, 1, 15)
    assert working_days_between(start, j(1405, 1, 5), NOWRUZ_1405) == 1
    # 1404/12/29 → 1405/01/05: the submission day is a holiday, nothing is counted before 5 Farvardin.
    assert add_working_days(j(1404, 12, 29), 1, NOWRUZ_1405) == j(1405, 1, 5)


def test_a_holiday_on_a_friday_is_not_counted_twice():
    friday_holiday = j(1404, 12, 29)
    thursday = j(1404, 12, 28)
    assert add_working_days(thursday, 1, {friday_holiday}) == j(1405, 1, 1)
    assert working_days_between(thursday, j(1405, 1, 1), {friday_holiday}) == 1


def test_thursday_off_when_configured():
    wednesday = datetime.date(2026, 11, 25)
    assert add_working_days(wednesday, 1, days_off={3, 4}) == datetime.date(2026, 11, 28)
    assert not is_working_day(datetime.date(2026, 11, 26), days_off={3, 4})
    assert is_working_day(datetime.date(2026, 11, 26))


def test_setting_default_is_friday_only(settings):
    del settings.WORKWEEK_DAYS_OFF
    assert days_off_from_settings() == {4}
    settings.WORKWEEK_DAYS_OFF = [3, 4]
    assert days_off_from_settings() == {3, 4}


def test_bad_arguments_raise():
    with pytest.raises(ValueError):
        add_working_days(datetime.date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        add_working_days(datetime.date(2026, 1, 1), 1, days_off=range(7))


def test_between_is_the_inverse_of_add_over_two_years():
    holidays = NOWRUZ_1405 | SIZDAH_1405 | {j(1405, 3, 14), j(1405, 3, 15), j(1405, 11, 22)}
    start = datetime.date(2025, 12, 1)
    for offset in range(0, 500, 3):
        day = start + datetime.timedelta(days=offset)
        for days in (0, 1, 2, 6, 7, 15, 30, 90):
            due = add_working_days(day, days, holidays)
            assert working_days_between(day, due, holidays) == days
            assert working_days_between(due, day, holidays) == -days
            assert due == day or is_working_day(due, holidays)
