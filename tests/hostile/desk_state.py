"""What the desk's hostile tests compare before and after a refused or odd write:
the request row, its events and its official response; and the rules any stored
staff text must meet."""

import re

from intake.models import OfficialResponse, RequestEvent, ServiceRequest

ROW_FIELDS = ("status", "assignee_id", "unit_id", "unit_name", "due_date", "request_text", "first_name")
# Bidi controls, C0/C1 controls other than newline and tab, surrogates, NUL, BOM, word joiner.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\u2060\ud800-\udfff]"
)


def snapshot(req):
    row = ServiceRequest.objects.filter(pk=req.pk).values(*ROW_FIELDS).get()
    events = list(
        RequestEvent.objects.filter(request=req)
        .order_by("pk")
        .values_list("pk", "kind", "note", "internal_note")
    )
    responses = list(
        OfficialResponse.objects.filter(request=req).values_list(
            "pk", "legal_grounds", "content", "appeal", "notes"
        )
    )
    return {"row": row, "events": events, "responses": responses}


def new_texts(before, after):
    """Every text written since `before`: new events' notes and new responses' parts."""
    old_events = {e[0] for e in before["events"]}
    old_responses = {r[0] for r in before["responses"]}
    texts = []
    for event in after["events"]:
        if event[0] not in old_events:
            texts += [event[2], event[3]]
    for response in after["responses"]:
        if response[0] not in old_responses:
            texts += list(response[1:])
    return texts


def assert_clean_text(text, limit, where):
    assert isinstance(text, str), where
    assert len(text) <= limit, f"{where}: {len(text)} characters stored"
    bad = FORBIDDEN.search(text)
    assert bad is None, f"{where}: stored {bad.group()!r}"
    assert text == text.strip(), f"{where}: untrimmed"
    if text:
        visible = re.sub(r"[\s\u200c\u200d]", "", text)
        assert visible, f"{where}: only invisible characters stored"
