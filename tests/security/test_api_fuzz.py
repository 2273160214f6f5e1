"""Fuzz the validator's HTTP API from its own OpenAPI schema (schemathesis, in process).

The app is the real one (`create_app`) around a real validator: keystore, chain client
on Anvil with a deployed oracle, store, tiny model. The engine loop is not started, so
the chain state stays still while the fuzzer runs. Properties:
- no generated request gets a 5xx;
- no response ever contains the admin token, the keystore password or the private key;
- admin routes refuse without the right token (401), and are off (403) with no token set.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from oracle.validator.api import create_app

ADMIN_ROUTES = ["/admin/claim", "/admin/pause", "/admin/resume"]

# Bugs this file found in oracle/validator/api.py, both fixed: admin routes read as query
# parameters (251d3a4), and /proposals/{pid} answering 500 for pid >= 2**63 (SQLite's
# integer overflow); the id is now validated as a path parameter (422).


@pytest.fixture(scope="module")
def app(validator):
    return create_app(validator, start_engine=False)


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api__generated_requests__never_500_and_never_leak_a_secret(case, secrets_to_hide):
    response = case.call_and_validate(checks=[not_a_server_error])
    body = response.text
    for secret in secrets_to_hide:
        assert secret not in body, f"{case.method} {case.path} leaked a secret"


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Bearer wrong", "bearer admin", "Basic YWRtaW46YWRtaW4="],
)
def test_admin__without_the_right_token__is_refused_and_nothing_happens(
    app, validator, authorization
):
    headers = {} if authorization is None else {"Authorization": authorization}
    with TestClient(app, raise_server_exceptions=False) as http:
        for route in ADMIN_ROUTES:
            response = http.post(route, headers=headers)
            assert 400 <= response.status_code < 500, (route, response.status_code)
    assert validator.thread is None  # /admin/resume did not start the engine


def test_admin__wrong_token_401__right_token_accepted(app, validator):
    token = validator.settings.admin_token.get_secret_value()
    with TestClient(app, raise_server_exceptions=False) as http:
        for wrong in ("", token[:-1], token + "x", token.upper(), " " + token):
            response = http.post("/admin/pause", headers={"Authorization": f"Bearer {wrong}"})
            assert response.status_code == 401, response.text
            assert "admin token" in response.json()["detail"]
        response = http.post("/admin/pause", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, response.text
        assert response.json()["mode"] == "paused"


def test_admin__no_token_configured__routes_are_off_403(settings_for, validator):
    validator.settings = settings_for(admin_token=None)
    try:
        app = create_app(validator, start_engine=False)
        with TestClient(app, raise_server_exceptions=False) as http:
            for route in ADMIN_ROUTES:
                response = http.post(route, headers={"Authorization": "Bearer anything"})
                assert response.status_code == 403, response.text
                assert "ORACLE_ADMIN_TOKEN" in response.json()["detail"]
    finally:
        validator.settings = settings_for()


@pytest.mark.parametrize("pid", [2**63, 2**256, -1])
def test_proposal__id_outside_int64__is_422_naming_the_bound(app, pid):
    with TestClient(app, raise_server_exceptions=False) as http:
        response = http.get(f"/proposals/{pid}")
    assert response.status_code == 422, response.text
    assert "pid" in response.text
    assert ("less than" in response.text) or ("greater than" in response.text)


def test_proposal__unknown_id__is_404_naming_it(app):
    with TestClient(app, raise_server_exceptions=False) as http:
        response = http.get("/proposals/123456")
    assert response.status_code == 404
    assert "123456" in response.json()["detail"]


def test_status_and_logs__never_carry_a_secret(app, captured_logs, secrets_to_hide):
    with TestClient(app) as http:
        bodies = [http.get(path).text for path in ("/status", "/health", "/ready", "/metrics")]
    assert '"validator"' in bodies[0]
    assert captured_logs.lines, "the validator logged nothing; the log check would be vacuous"
    for secret in secrets_to_hide:
        assert all(secret not in b for b in bodies)
        assert all(secret not in line for line in captured_logs.lines)
