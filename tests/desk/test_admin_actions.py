"""The action forms on a request's admin page: every write goes through
intake.services, every refused action is a Persian message with nothing written."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from intake import services
from intake.models import OfficialResponse, RequestEvent, ServiceRequest
from tests.desk.conftest import make_user

pytestmark = pytest.mark.django_db


def act(client, req, action, data, expected_status=None):
    payload = {f"{action}-{name}": value for name, value in data.items()}
    payload[f"{action}-expected_status"] = expected_status or req.status
    return client.post(reverse("desk_requests:action", args=(req.pk, action)), payload)


def flashed(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def staff_client(client, desk_world):
    client.force_login(desk_world["staff_a"])
    return client


def test_status_change_with_notes(staff_client, desk_world):
    req = desk_world["request_a"]
    response = act(
        staff_client,
        req,
        "status",
        {"to_status": "in_review", "public_note": "شروع", "internal_note": "داخلی"},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "in_review"
    event = req.events.latest("pk")
    assert (event.kind, event.from_status, event.note, event.internal_note, event.actor) == (
        "status",
        "received",
        "شروع",
        "داخلی",
        desk_world["staff_a"],
    )
    assert "در حال بررسی" in flashed(response)[0]


@pytest.mark.parametrize(
    ("start", "target"),
    [
        ("received", "answered"),  # only through the official response
        ("received", "received"),
        ("waiting", "referred"),
        ("waiting", "answered"),
        ("closed", "in_review"),
        ("answered", "waiting"),
        ("received", "nonsense"),
    ],
)
def test_every_invalid_transition_is_refused_and_nothing_written(staff_client, desk_world, start, target):
    req = desk_world["request_a"]
    ServiceRequest.objects.filter(pk=req.pk).update(status=start)
    req.refresh_from_db()
    events = RequestEvent.objects.count()
    response = act(staff_client, req, "status", {"to_status": target})
    assert response.status_code == 400
    assert "فرم کامل نیست" in response.content.decode()
    req.refresh_from_db()
    assert req.status == start
    assert RequestEvent.objects.count() == events


def test_all_invalid_transitions_are_not_offered(desk_world):
    from desk.forms import StatusForm

    for status in ServiceRequest.Status:
        req = desk_world["request_a"]
        req.status = status
        offered = {
            value for value, _label in StatusForm(request_obj=req).fields["to_status"].choices if value
        }
        assert offered == set(services.allowed_transitions(status)) - {"answered"}


def test_stale_form_gets_the_persian_message_and_nothing_written(staff_client, desk_world):
    req = desk_world["request_a"]
    services.transition(req, "in_review", desk_world["staff_b"])  # someone else, a moment ago
    events = RequestEvent.objects.count()
    for action, data in [
        ("status", {"to_status": "waiting"}),
        ("note", {"public_note": "x"}),
        ("assign", {"assignee": desk_world["staff_a"].pk, "expected_assignee": ""}),
        ("response", {"legal_grounds": "a", "content": "b", "appeal": "c"}),
    ]:
        response = act(staff_client, req, action, data, expected_status="received")
        assert response.status_code == 302
        assert flashed(response) == [
            "وضعیت این درخواست در این فاصله به «در حال بررسی» تغییر کرده است؛ صفحه را دوباره باز کنید."
        ]
        staff_client.get(response["Location"])  # the message is shown (and consumed)
    req.refresh_from_db()
    assert req.status == "in_review" and req.assignee is None
    assert RequestEvent.objects.count() == events
    assert not OfficialResponse.objects.exists()


def test_referral_needs_a_unit_and_moves_the_request(staff_client, desk_world):
    req = desk_world["request_a"]
    response = act(staff_client, req, "status", {"to_status": "referred"})
    assert response.status_code == 400
    assert "برای ارجاع، واحد مقصد را انتخاب کنید." in response.content.decode()
    services.assign(req, desk_world["staff_a"], None)
    response = act(staff_client, req, "status", {"to_status": "referred", "unit": desk_world["unit_b"].pk})
    assert response.status_code == 302 and response["Location"] == "/admin/requests/"
    req.refresh_from_db()
    assert (req.status, req.unit, req.unit_name, req.assignee) == (
        "referred",
        desk_world["unit_b"],
        "واحد ب",
        None,
    )
    # Now unit B's request: staff A lost it, staff B has it.
    assert staff_client.get(reverse("desk_requests:detail", args=(req.pk,))).status_code == 404
    staff_client.force_login(desk_world["staff_b"])
    assert staff_client.get(reverse("desk_requests:detail", args=(req.pk,))).status_code == 200


def test_assign_to_unit_staff_only(staff_client, desk_world):
    req = desk_world["request_a"]
    colleague = make_user("colleague", "کارشناسان میز خدمت", [desk_world["unit_a"]], last_name="رضایی")
    response = act(
        staff_client, req, "assign", {"assignee": desk_world["staff_b"].pk, "expected_assignee": ""}
    )
    assert response.status_code == 400
    req.refresh_from_db()
    assert req.assignee is None
    response = act(staff_client, req, "assign", {"assignee": colleague.pk, "expected_assignee": ""})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.assignee == colleague
    assert req.events.latest("pk").kind == "assigned"


def test_assign_overtaken_by_another_assignment(staff_client, desk_world):
    req = desk_world["request_a"]
    colleague = make_user("colleague", "کارشناسان میز خدمت", [desk_world["unit_a"]])
    services.assign(req, colleague, None)
    response = act(
        staff_client, req, "assign", {"assignee": desk_world["staff_a"].pk, "expected_assignee": ""}
    )
    assert flashed(response) == [
        "کارشناس مسئول این درخواست در این فاصله تغییر کرده است؛ صفحه را دوباره باز کنید."
    ]
    req.refresh_from_db()
    assert req.assignee == colleague


def test_note(staff_client, desk_world):
    req = desk_world["request_a"]
    response = act(staff_client, req, "note", {"public_note": "", "internal_note": ""})
    assert response.status_code == 400
    assert "متن یادداشت یا تاریخ اقدام بعدی را بنویسید." in response.content.decode()
    response = act(staff_client, req, "note", {"internal_note": "فقط برای همکاران"})
    assert response.status_code == 302
    event = req.events.latest("pk")
    assert (event.kind, event.note, event.internal_note) == ("note", "", "فقط برای همکاران")


def test_official_response_is_numbered_and_answers(
    staff_client, desk_world, django_capture_on_commit_callbacks
):
    from intake.models import SmsMessage

    req = desk_world["request_a"]
    response = act(
        staff_client, req, "response", {"legal_grounds": "ماده ۱", "content": "پذیرفته شد", "appeal": "دیوان"}
    )
    assert response.status_code == 302  # received: not answerable yet
    assert flashed(response) == ["در وضعیت «ثبت شده» نمی‌توان پاسخ رسمی صادر کرد."]
    staff_client.get(response["Location"])
    assert not OfficialResponse.objects.exists()
    services.transition(req, "in_review", None)
    response = act(staff_client, req, "response", {"legal_grounds": "", "content": "x", "appeal": "y"})
    assert response.status_code == 400 and not OfficialResponse.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = act(
            staff_client,
            req,
            "response",
            {
                "legal_grounds": "ماده ۱",
                "content": "پذیرفته شد",
                "appeal": "دیوان",
                "notes": "—",
                "internal_note": "i",
            },
        )
    assert response.status_code == 302
    req.refresh_from_db()
    official = req.responses.get()
    assert req.status == "answered"
    assert official.number.split("/")[1] == "000001" and len(official.number.split("/")[0]) == 4
    assert (official.citizen_name, official.national_code, official.issued_by) == (
        "علی کریمی",
        "0499370899",
        desk_world["staff_a"],
    )
    assert SmsMessage.objects.filter(
        request=req, text__contains="پاسخ داده شده"
    ).exists()  # the citizen is told
    page = staff_client.get(reverse("desk_requests:detail", args=(req.pk,))).content.decode()
    # Issued: the form now offers a correction (a new letter replacing this one).
    assert "۰۰۰۰۰۱" in page and "صدور پاسخ رسمی" not in page and "صدور پاسخ اصلاحی" in page
    # The second request of the year gets the next number.
    other = desk_world["request_b"]
    services.transition(other, "in_review", None)
    staff_client.force_login(desk_world["staff_b"])
    act(staff_client, other, "response", {"legal_grounds": "a", "content": "b", "appeal": "c"})
    assert other.__class__.objects.get(pk=other.pk).responses.get().number.endswith("/000002")


def test_a_response_form_on_an_answered_request_issues_a_correction(staff_client, desk_world):
    from tests.intake.requests import answer

    req = desk_world["request_a"]
    first = answer(req)
    req.refresh_from_db()
    response = act(staff_client, req, "response", {"legal_grounds": "a", "content": "b", "appeal": "c"})
    assert "پاسخ اصلاحی" in flashed(response)[0] and "جایگزین" in flashed(response)[0]
    assert OfficialResponse.objects.count() == 2
    assert OfficialResponse.objects.current().get().replaces == first
    # A form that saw another status is refused, nothing written.
    stale = act(
        staff_client,
        req,
        "response",
        {"legal_grounds": "a", "content": "b", "appeal": "c"},
        expected_status="in_review",
    )
    assert flashed(stale) and OfficialResponse.objects.count() == 2


def test_unknown_action_is_404_and_get_not_allowed(staff_client, desk_world):
    req = desk_world["request_a"]
    assert act(staff_client, req, "delete", {}).status_code == 404
    assert staff_client.get(reverse("desk_requests:action", args=(req.pk, "status"))).status_code == 405


# One careless click never closes a request -------------------------------------


def test_the_status_form_preselects_nothing_and_offers_moves_in_workflow_order(staff_client, desk_world):
    from desk.forms import StatusForm

    req = desk_world["request_a"]  # «ثبت شده»
    choices = StatusForm(request_obj=req).fields["to_status"].choices
    assert choices[0][0] == ""
    assert [value for value, _ in choices[1:]] == ["in_review", "referred", "waiting", "closed"]
    body = staff_client.get(reverse("desk_requests:detail", args=(req.pk,))).content.decode()
    select = body.split('name="status-to_status"')[1].split("</select>")[0]
    assert "selected" not in select.split("</option>", 1)[1]  # only the empty first choice may be
    assert "می‌دانم «مختومه» وضعیت پایانی است" in body


def test_a_status_form_sent_without_a_choice_changes_nothing(staff_client, desk_world):
    req = desk_world["request_a"]
    events = RequestEvent.objects.count()
    response = act(staff_client, req, "status", {"public_note": "فقط یادداشت"})
    assert response.status_code == 400
    assert "«وضعیت جدید» را انتخاب کنید." in response.content.decode()
    req.refresh_from_db()
    assert req.status == "received" and RequestEvent.objects.count() == events


def test_closing_asks_for_confirmation_and_says_it_cannot_be_undone(staff_client, desk_world):
    req = desk_world["request_a"]
    events = RequestEvent.objects.count()
    response = act(staff_client, req, "status", {"to_status": "closed"})
    assert response.status_code == 400
    assert "بازگشت‌پذیر نیست" in response.content.decode()
    req.refresh_from_db()
    assert req.status == "received" and RequestEvent.objects.count() == events
    response = act(staff_client, req, "status", {"to_status": "closed", "confirm_final": "on"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "closed"


def test_the_status_form_has_no_field_where_enter_submits(staff_client, desk_world):
    """Enter in a text input submits its form; the status form has none (notes are
    text areas), so no key press in a note changes a status."""
    from desk.forms import StatusForm

    form = StatusForm(request_obj=desk_world["request_a"])
    kinds = {
        name: field.widget.input_type
        for name, field in form.fields.items()
        if hasattr(field.widget, "input_type")
    }
    assert not [
        name for name, kind in kinds.items() if kind in ("text", "number", "email", "search", "tel", "url")
    ]
