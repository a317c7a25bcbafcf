"""The API against its own OpenAPI schema: a property-based run of schemathesis over every
operation, in-process through the WSGI application (SQLite and PostgreSQL, whichever the
suite runs on), and the schema and documentation page themselves.

Every generated request, valid or not, must get an answer that is no server error and
that the schema describes: its status, content type, headers and body. The run is
deterministic (derandomized) and small, so CI gives the same verdict every time.
"""

import json
from http import HTTPStatus

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from articles.filters import PublicationFilterSet
from tests.support import PageParts

pytestmark = pytest.mark.django_db


def load_schema() -> schemathesis.schemas.BaseSchema:
    """The schema as `/api/v1/schema/` serves it, made without a request (collection may not
    touch the database), and the WSGI application that answers the generated requests."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@pytest.fixture
def archive(db, settings):
    settings.NEWSROOM_API_RATE_LIMIT = 0  # hundreds of requests from one address
    settings.NEWSROOM_PAGE_CACHE = False  # each request reaches the view
    call_command("loaddata", "seed", verbosity=0)  # real items, and the examples' values
    # As Django's test client does: the end of a request must not close the connection
    # that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_conforms_to_the_schema(case, archive):
    case.call_and_validate(checks=CHECKS)


def test_schema_describes_every_list_filter_with_an_example(client):
    document = client.get("/api/v1/schema/").json()
    assert document["openapi"].startswith("3.")
    for path in ("/api/v1/releases/", "/api/v1/speeches/"):
        parameters = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        for name in PublicationFilterSet.parameters():
            assert parameters[name]["example"], (path, name)
        assert {"cursor", "page_size", "page"} <= set(parameters)
    assert set(document["paths"]) == {
        f"/api/v1/{noun}/{suffix}"
        for noun in ("releases", "speeches", "speakers", "events", "tags")
        for suffix in ("", "{slug}/")
    }


def test_documentation_page_loads_only_the_sites_own_files(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == HTTPStatus.OK
    page = PageParts(response.content.decode())
    loaded = [url for url in page.urls if url.endswith((".js", ".css"))]
    assert any("swagger-ui-bundle" in url for url in loaded)
    assert all(url.startswith("/static/") for url in loaded), loaded
    assert "<script>" not in response.content.decode()  # no inline script for the CSP
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
