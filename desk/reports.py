"""The figures of the reports page, its Excel export and the dashboard panel.

Everything is computed from a queryset the caller has already scoped with
desk.scoping.visible_requests(), in a fixed number of queries whatever the
number of requests: counts, means and the p90 row are computed in the database
(only one row per day of the period comes back, for the Jalali months).

Definitions:
- overdue («معوق»): still open (not answered, not closed) and its due date is
  before today (Asia/Tehran). The due date itself is still in time.
- answered late: the official response was issued (local date) after the due date.
- time to answer: from submission (submitted_at) to the official response
  (OfficialResponse.created_at), in calendar hours, without the time the request
  waited on the citizen for missing documents (ServiceRequest.waiting_time, the
  total of its stays in «در انتظار تکمیل مدارک», kept by the workflow). p90 is the nearest-rank 90th
  percentile: the smallest time that at least 90% of the answered requests met.
- satisfaction: the survey's stored scores (0–100, intake.survey): per axis the
  mean of the surveys' axis scores (the axes of SurveyAxis as they are now),
  overall the mean of overall_score.
- Jalali month: of the submission's local (Asia/Tehran) date.
"""

import datetime
import math
from dataclasses import dataclass, field

from django.db.models import Avg, BooleanField, Count, DurationField, ExpressionWrapper, F, FloatField, Max, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from intake.models import OfficialResponse, ServiceRequest, SurveyAxis, SurveyResponse
from portal.jalali import JALALI_MONTHS, to_jalali
from portal.persian import to_persian_digits

Status = ServiceRequest.Status
NO_UNIT = "بدون واحد"
NO_SERVICE = "بدون خدمت"


def in_range(queryset, date_from=None, date_to=None):
    """Requests submitted on local dates date_from..date_to (both included)."""
    if date_from:
        queryset = queryset.filter(submitted_at__gte=_local_midnight(date_from))
    if date_to:
        queryset = queryset.filter(submitted_at__lt=_local_midnight(date_to + datetime.timedelta(days=1)))
    return queryset


def _local_midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Formatting -----------------------------------------------------------------


def fa_number(value, decimals=0):
    """12.5 -> ۱۲٫۵ (Persian digits and decimal separator); None -> —."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}".replace(",", "٬").replace(".", "٫")
    return to_persian_digits(text)


def fa_duration(hours):
    """Hours as «۲٫۵ روز (۶۰ ساعت)»; under a day as «۵ ساعت»."""
    if hours is None:
        return "—"
    if hours < 24:
        return f"{fa_number(hours, 1)} ساعت"
    return f"{fa_number(hours / 24, 1)} روز ({fa_number(hours)} ساعت)"


def percentile(values, fraction):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def jalali_month_label(year, month):
    return to_persian_digits(f"{JALALI_MONTHS[month - 1]} {year}")


# The report -------------------------------------------------------------------


@dataclass
class Row:
    label: str
    count: int


@dataclass
class Satisfaction:
    label: str
    surveys: int
    overall: float | None
    axes: list  # floats (or None) in the order of Report.axes

    @property
    def overall_text(self):
        return fa_number(self.overall, 1)

    @property
    def axes_text(self):
        return [fa_number(value, 1) for value in self.axes]


@dataclass
class Report:
    total: int = 0
    overdue: int = 0
    answered: int = 0
    answered_late: int = 0
    objections: int = 0
    mean_hours: float | None = None
    p90_hours: float | None = None
    by_status: list = field(default_factory=list)
    by_unit: list = field(default_factory=list)
    by_service: list = field(default_factory=list)
    by_month: list = field(default_factory=list)
    axes: list = field(default_factory=list)
    satisfaction_total: Satisfaction | None = None
    satisfaction_by_unit: list = field(default_factory=list)
    satisfaction_by_service: list = field(default_factory=list)

    @property
    def mean_text(self):
        return fa_duration(self.mean_hours)

    @property
    def p90_text(self):
        return fa_duration(self.p90_hours)


def status_counts(queryset):
    """[(Status, count)] for every status in workflow order (zeros included)."""
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    return [Row(status.label, counts.get(status.value, 0)) for status in Status]


def build(queryset, today=None):
    """The whole report for the (already scoped and filtered) requests."""
    today = today or timezone.localdate()
    queryset = queryset.order_by()
    report = Report()
    report.by_status = status_counts(queryset)
    report.total = sum(row.count for row in report.by_status)
    report.overdue = queryset.filter(ServiceRequest.overdue_q(today)).count()
    report.by_unit = _grouped(queryset, "unit_id", "unit_name", NO_UNIT)
    # A service's objections («اعتراض: …», intake.services.objection) are a row of their own.
    objection = ExpressionWrapper(Q(objection_to__isnull=False), output_field=BooleanField())
    report.by_service = _grouped(
        queryset.annotate(objection=objection), ("service_id", "objection"), "service_title", NO_SERVICE
    )
    report.objections = queryset.filter(objection_to__isnull=False).count()
    report.by_month = _by_month(queryset)
    _response_times(report, queryset)
    _satisfaction(report, queryset)
    return report


def _grouped(queryset, keys, name, empty_label):
    """Counts per unit/service (`keys`: a field, or fields grouped together; the first
    is the unit's or service's id), largest first. The stored name is what the
    citizen saw; a unit renamed meanwhile shows its latest name."""
    keys = (keys,) if isinstance(keys, str) else tuple(keys)
    merged = {}
    rows = queryset.values_list(*keys, name).annotate(n=Count("pk")).order_by(*keys, name)
    for *group, label, count in rows:
        entry = merged.setdefault(tuple(group), [label or empty_label, 0])
        entry[0] = label or entry[0]
        entry[1] += count
    result = [
        Row(label if group[0] is not None else empty_label, count) for group, (label, count) in merged.items()
    ]
    return sorted(result, key=lambda row: (-row.count, row.label))


def _by_month(queryset):
    days = (
        queryset.annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    months = {}
    for day, count in days:
        jday = to_jalali(day)
        key = (jday.year, jday.month)
        months[key] = months.get(key, 0) + count
    return [Row(jalali_month_label(*key), count) for key, count in sorted(months.items())]


def _response_times(report, queryset):
    """Count, mean, late answers in one aggregate; p90 as one row at its rank."""
    responses = (
        # The first letter answers the request; a later correction does not answer it again.
        OfficialResponse.objects.filter(request__in=queryset, replaces__isnull=True)
        .order_by()
        .annotate(
            took=ExpressionWrapper(
                F("created_at") - F("request__submitted_at") - F("request__waiting_time"),
                output_field=DurationField(),
            ),
            answered_on=TruncDate("created_at", tzinfo=timezone.get_current_timezone()),
        )
    )
    totals = responses.aggregate(
        n=Count("pk"),
        mean=Avg("took"),
        late=Count("pk", filter=Q(request__due_date__isnull=False, answered_on__gt=F("request__due_date"))),
    )
    report.answered = totals["n"]
    report.answered_late = totals["late"]
    if report.answered:
        report.mean_hours = _hours(totals["mean"])
        rank = max(1, math.ceil(0.9 * report.answered))  # nearest rank
        report.p90_hours = _hours(responses.order_by("took").values_list("took", flat=True)[rank - 1])


def _hours(duration):
    return max(duration.total_seconds(), 0) / 3600


def _satisfaction(report, queryset):
    """Means of the stored scores, grouped in the database: the current axes
    (SurveyAxis titles; scores stored under an axis title since renamed are not shown)."""
    axes = list(SurveyAxis.objects.order_by("sort_order", "pk").values_list("title", flat=True))
    report.axes = axes
    surveys = SurveyResponse.objects.filter(request__in=queryset).order_by()
    means = {"n": Count("pk"), "overall": Avg("overall_score")}
    for index, title in enumerate(axes):
        means[f"axis{index}"] = Avg(Cast(KeyTextTransform(title, "axis_scores"), FloatField()))
    total = surveys.aggregate(**means)
    report.satisfaction_total = _scored("همه", total, axes) if total["n"] else None
    report.satisfaction_by_unit = _scores_by(
        surveys, "request__unit_id", "request__unit_name", NO_UNIT, means, axes
    )
    report.satisfaction_by_service = _scores_by(
        surveys, "request__service_id", "request__service_title", NO_SERVICE, means, axes
    )


def _scores_by(surveys, key, name, empty_label, means, axes):
    rows = surveys.values(key).annotate(label=Max(name), **means).order_by(key)
    result = [_scored(row["label"] if row[key] is not None else empty_label, row, axes) for row in rows]
    return sorted(result, key=lambda item: (-item.surveys, item.label))


def _scored(label, row, axes):
    overall = row["overall"]
    return Satisfaction(
        label=label or "",
        surveys=row["n"],
        overall=None if overall is None else float(overall),
        axes=[row[f"axis{index}"] for index in range(len(axes))],
    )


# Charts -------------------------------------------------------------------------

CHART_WIDTH = 480
LABEL_WIDTH = 170
BAR_AREA = 240
BAR_HEIGHT = 22
GAP = 10


def bar_chart(rows, maximum=None, decimals=0, suffix=""):
    """Geometry of a horizontal bar chart drawn right to left (labels on the
    right, bars growing to the left), for templates/desk/reports/_bar_chart.html."""
    values = [row[1] for row in rows]
    top = maximum if maximum is not None else max([v for v in values if v is not None] or [0])
    bars = []
    right = CHART_WIDTH - LABEL_WIDTH
    for index, (label, value) in enumerate(rows):
        width = 0 if not top or value is None else round(BAR_AREA * value / top, 1)
        y = GAP + index * (BAR_HEIGHT + GAP)
        bars.append(
            {
                "label": label,
                "value_text": fa_number(value, decimals) + suffix if value is not None else "—",
                "y": y,
                "text_y": y + BAR_HEIGHT * 0.7,
                "x": round(right - width, 1),
                "width": width,
                "label_x": CHART_WIDTH - 6,
                "value_x": round(right - width - 6, 1),
            }
        )
    return {
        "width": CHART_WIDTH,
        "height": GAP + len(rows) * (BAR_HEIGHT + GAP),
        "bar_height": BAR_HEIGHT,
        "axis_x": right,
        "bars": bars,
    }
