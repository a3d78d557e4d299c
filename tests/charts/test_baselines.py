"""A few PNG baselines compared with a tolerance (font hinting may differ by a pixel).

Regenerate after an intended visual change with
``CHARTOGRAPHER_UPDATE_BASELINES=1 pytest tests/charts/test_baselines.py`` and look
at the new pictures before committing them.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from tests.conftest import decode
from tests.imagecheck import rgb_array

BASELINES = Path(__file__).parent.parent / "baselines"
CASES = {
    "bar": "/v1/charts/bar?values=3,7,5&labels=a,b,c&width=400&height=300&title=Sales",
    "line": "/v1/charts/line?values=1,4,2,5&values=2,3,3,1&labels=Q1,Q2,Q3,Q4&series=a,b",
    "pie": "/v1/charts/pie?values=30,20,50&labels=red,green,blue&width=400&height=300",
    "radar": "/v1/charts/radar?values=4,3,5,2,4&labels=speed,power,range,cost,ease",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_baseline(client: TestClient, name: str) -> None:
    response = client.get(CASES[name])
    assert response.status_code == 200
    path = BASELINES / f"{name}.png"
    if os.environ.get("CHARTOGRAPHER_UPDATE_BASELINES") == "1":
        path.write_bytes(response.content)
    expected, actual = decode(path.read_bytes()), decode(response.content)
    assert actual.size == expected.size
    diff = np.abs(rgb_array(actual) - rgb_array(expected))
    assert diff.mean() < 1.0, f"{name}: mean difference {diff.mean():.2f}"
    # no region may change: at most 0.5 % of pixels differ visibly
    assert (diff.max(axis=-1) > 40).mean() < 0.005
