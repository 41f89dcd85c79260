"""The wizard's per-address limits: new drafts and step posts (INTAKE_DRAFT_RATE,
INTAKE_STEP_RATE). Over the limit: 429, a Persian page, nothing written."""

from django.test import Client, override_settings

from intake.models import Draft
from tests.intake.helpers import BASE, choose, fill_to_review, step


@override_settings(INTAKE_DRAFT_RATE="3/3600")
def test_new_drafts_are_limited_per_address(intake_page, service, officer):
    for _ in range(3):
        assert choose(Client(), service).status_code == 302
    response = choose(Client(), service)
    assert response.status_code == 429
    assert "آنچه در این صفحه وارد کردید ذخیره نشد" in response.content.decode()
    assert Draft.objects.count() == 3
    # Another address is not held back; the same browser going on with its draft is not either.
    assert choose(Client(REMOTE_ADDR="10.1.2.3"), service).status_code == 302
    assert Draft.objects.count() == 4


@override_settings(INTAKE_STEP_RATE="9/600")
def test_step_posts_are_limited_per_address(client, intake_page, service, officer):
    fill_to_review(client, service, officer)  # six posts
    for _ in range(3):
        assert client.post(step(4), {"action": "next", "mobile": "12"}).status_code == 200
    draft = Draft.objects.get()
    before = (draft.data, draft.completed, draft.updated_at)
    response = client.post(step(4), {"action": "next", "first_name": "رضا"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "لطفاً چند دقیقه دیگر دوباره تلاش کنید" in body
    assert f'href="{step(4)}"' in body
    draft.refresh_from_db()
    assert (draft.data, draft.completed, draft.updated_at) == before
    # Reading a step is never limited.
    assert client.get(step(4)).status_code == 200
    assert client.post(BASE, {}).status_code == 429
    assert Client(REMOTE_ADDR="10.1.2.3").post(BASE, {}).status_code == 200
