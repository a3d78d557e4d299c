"""Schemathesis over the foundation's operations: no 5xx, responses match the schema.

The Google-compatible, maps and access suites run schemathesis over their own
operations; together they cover every operation in ``/openapi.json``.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from chartographer.app import create_app
from chartographer.config import Settings

app = create_app(
    Settings(render_processes=0, database_url="sqlite:///:memory:", cache_bytes=0, open_limits=[])
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(
    path_regex=r"^/(v1/charts/\{kind\}|v1/names|v1/usage|healthz|readyz)$"
)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_foundation_operations(case: schemathesis.Case) -> None:
    # Schema-valid but meaningless input (``values=,,``, ``x`` of the wrong length) is
    # rightly a 422 problem, so "positive data acceptance" does not apply; every
    # other check does: no 5xx, documented status, content type and schema.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
