from types import SimpleNamespace

from wagtail.models import Page

from intake import demo
from intake.models import IntakePage
from portal.persian import to_persian_digits
from tests.intake.helpers import BASE, choose, step


def test_step1_shows_the_heads_message_and_notes_from_site_settings(client, intake_page, service):
    from home.models import PortalSettings

    settings_obj = PortalSettings.for_site(intake_page.get_site())
    settings_obj.head_message = "مراجعه کننده محترم با سلام و احترام"
    settings_obj.head_name = "ابوالفضل یاری"
    settings_obj.intro_notes = [("note", f"نکته شماره {n}") for n in range(1, 7)]
    settings_obj.save()
    choose(client, service)
    body = client.get(step(1)).content.decode()
    assert "مراجعه کننده محترم با سلام و احترام" in body
    assert "ابوالفضل یاری" in body
    for n in range(1, 7):  # digits typed by the editor are shown in Persian
        assert f"نکته شماره {to_persian_digits(n)}" in body
    assert settings_obj.intro_heading in body


def test_facets_fragment_for_javascript(client, intake_page, service):
    response = client.get(BASE + f"facets/{service.service_id}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<summary>شرح خدمت</summary>" in body and "<html" not in body
    assert client.get(BASE + "facets/99999999999/").status_code == 404


def test_demo_loader_creates_the_page_once(home):
    ctx = SimpleNamespace(home=home, stdout=None)
    first = demo.load(ctx)
    second = demo.load(ctx)
    assert first.pk == second.pk
    assert IntakePage.objects.count() == 1
    assert first.url == "/request/" and first.live
    assert Page.objects.get(pk=first.pk).specific_class is IntakePage


def test_the_pages_served_by_wagtail_send_to_their_views(rf, home, intake_page):
    """A preview, or a page moved to another slug: the wizard and the follow-up live
    at their fixed addresses."""
    from intake.models import TrackPage

    track = TrackPage(title="نظرسنجی و پیگیری درخواست", slug="track")
    home.add_child(instance=track)
    response = intake_page.serve(rf.get("/"))
    assert response.status_code == 302 and response["Location"] == BASE
    response = track.serve(rf.get("/"))
    assert response.status_code == 302 and response["Location"] == "/track/"


def test_no_live_intake_page_no_wizard(client, intake_page):
    intake_page.unpublish()
    assert client.get(BASE).status_code == 404
