"""Schema-driven fuzzing: schemathesis generates requests from the live OpenAPI schema and
sends them to the app in-process (Django's WSGI handler) on a world with two regions' data.
It uses the administrator's token, who sees every region, unit and aggregate, so that most
requests can reach a 200; who sees what is tests/api/test_behorighet_api.py's. No response
may be a 5xx, violate its documented schema, content type or headers, or have a status
the schema does not document.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.api.conftest import token_for

EXEMPEL_PER_OPERATION = 20

CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]


# Loading the schema needs no database (the schema is built from the code).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def samma_anslutning():
    """Keep the test's database connection across the WSGI requests, as Django's test client
    does: the handler's request signals would otherwise close it (on PostgreSQL, a connection
    inside the test's transaction is "unusable" to close_old_connections)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(admin_user, api_varld, settings, samma_anslutning):
    settings.API_ANROP_PER_MINUT = 1_000_000  # the fuzzing is not the rate limit's test
    return token_for(admin_user)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXEMPEL_PER_OPERATION,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure in CI reproduces locally
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, admin_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)
