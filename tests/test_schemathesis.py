"""Schemathesis over every operation in ``/openapi.json``, in open and in keys mode.

Every check runs — no 5xx, documented status codes, content types, headers and
response schemas (the schema-conformance checks) — except "positive data
acceptance": schema-valid but meaningless input (``values=,,``, ``x`` of the
wrong length, an area over ``max_pixels`` built from two in-range sides) is
rightly a 422/413 problem, which a JSON schema cannot express. The limits a
schema *can* state agree with the server: see ``test_schema_maxima_are_the_enforced_limits``.

The example count is kept small for CI (``CHARTOGRAPHER_SCHEMATHESIS_EXAMPLES``
raises it for a run by hand).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from chartographer.access import service
from chartographer.app import create_app
from chartographer.config import Settings
from chartographer.db import make_engine, make_sessionmaker, session_scope, upgrade_database
from tests.maps.conftest import write_mbtiles

EXAMPLES = int(os.environ.get("CHARTOGRAPHER_SCHEMATHESIS_EXAMPLES", "8"))
SECRET = "schemathesis-pepper-0123456789"
_DIR = Path(tempfile.mkdtemp(prefix="chartographer-schemathesis-"))
_TILES = write_mbtiles(_DIR / "world.mbtiles", range(0, 3))


def _settings(**overrides: Any) -> Settings:
    base: dict[str, Any] = {
        "render_processes": 0,
        "cache_bytes": 0,
        "open_limits": [],
        "tiles": f"mbtiles://{_TILES}",
        "tile_sources": {"plain": "none"},
    }
    return Settings(**{**base, **overrides})


def _seeded_key(url: str) -> str:
    upgrade_database(url)
    engine = make_engine(url)
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            service.create_plan(session, "fuzz", ["100000/second"])
            return service.issue_key(session, SECRET.encode(), "fuzz").key
    finally:
        engine.dispose()


open_app = create_app(_settings(database_url=f"sqlite:///{_DIR / 'open.db'}"))
_KEYS_DB = f"sqlite:///{_DIR / 'keys.db'}"
KEY = _seeded_key(_KEYS_DB)
keys_app = create_app(_settings(database_url=_KEYS_DB, access_mode="keys", key_hash_secret=SECRET))
# A value over a documented limit is refused with 413 ``limit-exceeded`` (the
# service's convention), so 413 counts as rejecting schema-invalid data too.
_CONFIG = SchemathesisConfig.from_str(
    "[checks.negative_data_rejection]\n"
    "expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]\n"
)
open_schema = schemathesis.openapi.from_asgi("/openapi.json", open_app, config=_CONFIG)
keys_schema = schemathesis.openapi.from_asgi("/openapi.json", keys_app, config=_CONFIG)
with TestClient(open_app) as _warm:  # load the offline gazetteer once, before the clock runs
    _warm.get("/maps/api/staticmap?size=60x30&visible=Paris")
_FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


@open_schema.parametrize()
@_FUZZ
def test_every_operation_in_open_mode(case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


@keys_schema.parametrize()
@_FUZZ
def test_every_operation_in_keys_mode(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"X-API-Key": KEY}, excluded_checks=[positive_data_acceptance])


@keys_schema.parametrize()
@settings(max_examples=2, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_in_keys_mode_without_a_key(case: schemathesis.Case) -> None:
    case.call_and_validate(excluded_checks=[positive_data_acceptance])


def _maximum(schema: dict[str, Any], path: str, name: str) -> int:
    for parameter in schema["paths"][path]["get"]["parameters"]:
        if parameter["name"] == name:
            return int(parameter["schema"]["maximum"])
    raise AssertionError(f"{path} has no parameter {name}")


@pytest.mark.parametrize(
    ("path", "query", "name", "limit"),
    [
        ("/v1/maps", "center=0,0&zoom=1&width=100", "height", 640),
        ("/v1/maps", "center=0,0&zoom=1&height=100", "width", 640),
        ("/v1/charts/bar", "values=1,2&width=100", "height", 2000),
        ("/v1/charts/bar", "values=1,2&height=100", "width", 2000),
    ],
)
def test_schema_maxima_are_the_enforced_limits(
    path: str, query: str, name: str, limit: int
) -> None:
    with TestClient(open_app) as client:
        schema = client.get("/openapi.json").json()
        template = "/v1/charts/{kind}" if path.startswith("/v1/charts") else path
        assert _maximum(schema, template, name) == limit
        at_limit = client.get(f"{path}?{query}&{name}={limit}")
        assert at_limit.status_code == 200, at_limit.text
        over = client.get(f"{path}?{query}&{name}={limit + 1}")
        assert over.status_code in (413, 422)
        assert over.json()["param"] == name


def test_the_schema_follows_configured_limits(tmp_path: Path) -> None:
    app = create_app(
        _settings(database_url=f"sqlite:///{tmp_path / 'l.db'}", maps_max_size=300, max_width=900)
    )
    schema = app.openapi()
    assert _maximum(schema, "/v1/maps", "height") == 300
    assert _maximum(schema, "/v1/charts/{kind}", "width") == 900
    body = schema["components"]["schemas"]
    assert body["MapBody"]["properties"]["width"]["maximum"] == 300
    assert body["ChartBody"]["properties"]["width"]["maximum"] == 900
    assert app.openapi() is schema  # built once


def test_google_chart_requires_cht_in_the_schema() -> None:
    schema = open_app.openapi()
    (cht,) = [p for p in schema["paths"]["/chart"]["get"]["parameters"] if p["name"] == "cht"]
    assert cht["required"] is True
    form = schema["paths"]["/chart"]["post"]["requestBody"]["content"]
    assert form["application/x-www-form-urlencoded"]["schema"]["required"] == ["cht"]
    with TestClient(open_app) as client:
        missing = client.get("/chart?chs=100x100&chd=t:1,2")
        assert missing.status_code == 400
        assert missing.headers["content-type"] == "application/problem+json"


def test_usage_documents_its_problems() -> None:
    responses = open_app.openapi()["paths"]["/v1/usage"]["get"]["responses"]
    for status in ("401", "403", "422", "429", "503"):
        assert list(responses[status]["content"]) == ["application/problem+json"], status
