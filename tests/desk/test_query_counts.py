"""The requests listing (admin) and the desk API's list take as many queries for
twenty requests, each assigned, as for one (no per-row queries)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake import services
from tests.desk.test_admin_requests import INDEX, login
from tests.desk.test_api import Api, token_for
from tests.intake.requests import make_request


def queries(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    assert response.status_code == 200
    return len(captured)


def grow(desk_world, count):
    for _ in range(count):
        req = make_request(desk_world["service_a"])
        services.assign(req, desk_world["staff_a"], desk_world["superuser"])


def test_listing_and_api_list_do_not_query_per_row(client, desk_world):
    staff = desk_world["staff_a"]
    api = Api(client, token_for(staff))
    login(client, staff)
    client.get(INDEX)  # warm: site, settings
    api.get("/requests")  # warm: the token's first use is recorded
    small_admin = queries(lambda: client.get(INDEX))
    small_api = queries(lambda: api.get("/requests"))
    grow(desk_world, 20)
    assert queries(lambda: client.get(INDEX)) == small_admin
    assert queries(lambda: api.get("/requests")) == small_api
