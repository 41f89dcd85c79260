"""Fuzz the desk API from its own OpenAPI schema (schemathesis, in-process WSGI).

Every operation gets valid (schema-conforming) and invalid (negative) inputs,
sent with a real token of a desk staff member; half of the examples use a real
tracking code and attachment id so the handlers run past the lookup. The only
check: no server error (5xx). Bounded examples keep it well under a minute.
"""

import pytest
import schemathesis
from django.core.files.base import ContentFile
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from wagtail.models import APIToken

from intake.models import RequestAttachment
from tests.intake.files import pdf_bytes

EXAMPLES = 40
APP = get_wsgi_application()


@pytest.fixture
def schema(world):
    """The schema the app serves, called in-process. Like Django's test client, the
    handler runs without close_old_connections so it shares the test's transaction."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/desk/openapi.json", APP)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def operations():
    from desk.api import api

    paths = api.get_openapi_schema()["paths"]
    return [(method.upper(), path) for path, ops in paths.items() for method in ops]


@pytest.fixture
def world(desk_world, settings):
    settings.ALLOWED_HOSTS = ["*"]
    req = desk_world["request_a"]
    attachment = RequestAttachment(request=req, original_name="a.pdf", content_type="application/pdf", size=1)
    attachment.file.save("a.pdf", ContentFile(pdf_bytes()), save=False)
    attachment.save()
    token = APIToken.create_token(user=desk_world["staff_a"], name="fuzz")[1]
    return {"token": token, "code": req.tracking_code, "attachment": attachment.pk}


@pytest.mark.django_db
@pytest.mark.parametrize("method,path", operations())
def test_no_server_error(schema, world, method, path):
    operation = schema[path][method]
    strategy = st.one_of(operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE))
    seen = []

    @given(case=strategy, real=st.booleans())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case, real):
        if real and case.path_parameters:
            if "tracking_code" in case.path_parameters:
                case.path_parameters["tracking_code"] = world["code"]
            if "attachment_id" in case.path_parameters:
                case.path_parameters["attachment_id"] = world["attachment"]
        response = case.call_and_validate(
            headers={"Authorization": f"Bearer {world['token']}"}, checks=[not_a_server_error]
        )
        seen.append(response.status_code)

    run()
    assert seen
    assert all(code < 500 for code in seen)


# Open311 (plain Django views, no generated schema): a small hand-written OpenAPI
# description of its four request shapes, fuzzed the same way.

_TEXT = {"type": "string"}
_FORM_FIELDS = [
    "api_key",
    "service_code",
    "jurisdiction_id",
    "first_name",
    "last_name",
    "phone",
    "email",
    "description",
    "lat",
    "long",
    "attribute[request_text]",
    "attribute[national_code]",
    "attribute[mobile]",
    "attribute[landline]",
    "attribute[address]",
    "attribute[officer]",
    "attribute[visit_date]",
    "attribute[previous_visit_result]",
    "attribute[visit_description]",
]


def _query(*names):
    return [{"name": n, "in": "query", "required": False, "schema": _TEXT} for n in names]


OPEN311_SCHEMA = {
    "openapi": "3.0.3",
    "info": {"title": "Open311 GeoReport v2", "version": "2"},
    "paths": {
        "/open311/v2/services/{code}.json": {
            "get": {
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": _TEXT}],
                "responses": {"200": {"description": "definition"}},
            }
        },
        "/open311/v2/requests.json": {
            "get": {
                "parameters": _query(
                    "service_request_id", "service_code", "start_date", "end_date", "status"
                ),
                "responses": {"200": {"description": "requests"}},
            },
            "post": {
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {name: _TEXT for name in _FORM_FIELDS},
                            }
                        }
                    },
                },
                "responses": {"200": {"description": "created"}},
            },
        },
        "/open311/v2/requests/{service_request_id}.json": {
            "get": {
                "parameters": [
                    {"name": "service_request_id", "in": "path", "required": True, "schema": _TEXT}
                ],
                "responses": {"200": {"description": "one request"}},
            }
        },
    },
}


@pytest.fixture
def open311_schema(schema):
    loaded = schemathesis.openapi.from_dict(OPEN311_SCHEMA)
    loaded.app = APP
    return loaded


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", "/open311/v2/services/{code}.json"),
        ("GET", "/open311/v2/requests.json"),
        ("POST", "/open311/v2/requests.json"),
        ("GET", "/open311/v2/requests/{service_request_id}.json"),
    ],
)
def test_open311_no_server_error(open311_schema, desk_world, method, path):
    from desk.models import Open311Key

    key = Open311Key.create_key("fuzz")[1]
    req = desk_world["request_a"]
    operation = open311_schema[path][method]
    strategy = st.one_of(operation.as_strategy(), operation.as_strategy(GenerationMode.NEGATIVE))
    seen = []

    @given(case=strategy, real=st.booleans())
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def run(case, real):
        if real:
            if "code" in (case.path_parameters or {}):
                case.path_parameters["code"] = req.service_code
            if "service_request_id" in (case.path_parameters or {}):
                case.path_parameters["service_request_id"] = req.public_id
            if isinstance(case.body, dict):
                case.body.update({"api_key": key, "service_code": req.service_code})
        response = case.call_and_validate(checks=[not_a_server_error])
        seen.append(response.status_code)

    run()
    assert seen and all(code < 500 for code in seen)
