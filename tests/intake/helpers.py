"""Walk the wizard with Django's test client."""

from tests.intake.conftest import VALID_CITIZEN

BASE = "/request/"


def step(n):
    return f"{BASE}step/{n}/"


def form_errors(response):
    context = getattr(response, "context", None)
    form = context.get("form") if context else None
    return response.status_code, form.errors if form is not None else None


def choose(client, service, agree=True):
    data = {"unit": str(service.unit_id), "service": service.service_id, "service_id": service.service_id}
    if agree:
        data["agree"] = "on"
    return client.post(BASE, data)


def to_attachments(client, service):
    """POST the choice and steps 1 and 2: the attachments step (3) is next. Returns
    the three responses."""
    return [
        choose(client, service),
        client.post(step(1), {"action": "next"}),
        client.post(
            step(2),
            {
                "action": "next",
                "unit": str(service.unit_id),
                "service": service.service_id,
                "service_id": service.service_id,
                "request_text": "درخواست بررسی عملکرد دهیاری روستای ۱۲ را دارم.",
            },
        ),
    ]


def fill_to_review(client, service, officer, files=(), citizen=None):
    """POST every step up to the review; returns the last response."""
    responses = to_attachments(client, service)
    data = {"action": "next"}
    for index, upload in enumerate(files, start=1):
        data[f"file{index}"] = upload
    responses.append(client.post(step(3), data))
    responses.append(client.post(step(4), {"action": "next", **(citizen or VALID_CITIZEN)}))
    responses.append(
        client.post(
            step(5),
            {
                "action": "next",
                "officer": str(officer.pk),
                "visit_date": "۱۴۰۵/۰۹/۰۳",
                "previous_visit_result": "",
                "visit_description": "مراجعه حضوری در روز ۳ آذر",
            },
        )
    )
    for response in responses:
        assert response.status_code == 302, form_errors(response)
    return responses[-1]
