"""Schemathesis over the map operations: never a 5xx, responses match the schema.

Tiles come from a generated MBTiles file (no network); ``maptype``/``tile_provider``
may also pick the ``none`` source.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import positive_data_acceptance

from chartographer.app import create_app
from chartographer.config import Settings
from tests.maps.conftest import write_mbtiles

_DIR = Path(tempfile.mkdtemp(prefix="chartographer-maps-"))
_TILES = write_mbtiles(_DIR / "world.mbtiles", range(0, 4))

app = create_app(
    Settings(
        render_processes=0,
        database_url="sqlite:///:memory:",
        cache_bytes=0,
        open_limits=[],
        tiles=f"mbtiles://{_TILES}",
        tile_sources={"plain": "none"},
    )
)
# over-limit sizes are 413 limit-exceeded: that rejects schema-invalid input too
_CONFIG = SchemathesisConfig.from_str(
    "[checks.negative_data_rejection]\n"
    "expected-statuses = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429]\n"
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=_CONFIG).include(
    path_regex=r"^/(maps/api/staticmap|v1/maps)$"
)

with TestClient(app) as _warm:  # load the offline gazetteer once, before the clock runs
    _warm.get("/maps/api/staticmap?size=60x30&visible=Paris")


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_map_operations(case: schemathesis.Case) -> None:
    # schema-valid but meaningless input (size=abc, an unknown place as the only
    # location) is rightly a 4xx problem, so "positive data acceptance" does not apply
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
