"""Health, readiness, the names sample, and the public docs."""

from __future__ import annotations

from fastapi.testclient import TestClient

from chartographer.app import create_app
from chartographer.config import Settings


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_each_check(client: TestClient) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert all(value == "ok" for value in body["checks"].values())


def test_readyz_is_503_when_a_dependency_is_down(client: TestClient) -> None:
    async def broken() -> None:
        raise ConnectionError("database unreachable")

    client.app.state.readiness["database"] = broken  # type: ignore[attr-defined]
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable: ConnectionError"


def test_names(client: TestClient) -> None:
    response = client.get("/v1/names")
    assert response.status_code == 200
    assert response.json()["name"] in {"Minnie", "Margaret", "Myrtle", "Noa", "Nadia"}
    for _ in range(10):
        assert client.get("/v1/names?starts_with=N").json()["name"] in {"Noa", "Nadia"}
    missing = client.get("/v1/names?starts_with=zz")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["param"] == "starts_with"


def test_docs_are_public_and_examples_render(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "swagger-ui" in docs.text
    assert client.get("/redoc").status_code == 200
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/v1/charts/{kind}"]["get"]
    assert "image/png" in operation["responses"]["200"]["content"]
    # the documented example of every query parameter renders an image
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["values"]["schema"]["items"]["type"] == "string"
    example = "/v1/charts/bar?" + "&".join(
        f"values={v}" for v in params["values"]["schema"]["examples"][0]
    )
    assert client.get(example).headers["content-type"] == "image/png"
    body_example = schema["components"]["schemas"]["ChartBody"]["examples"][0]
    assert client.post("/v1/charts/bar", json=body_example).status_code == 200


def test_settings_from_the_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("CHARTOGRAPHER_MAX_WIDTH", "300")
    monkeypatch.setenv("CHARTOGRAPHER_RENDER_PROCESSES", "0")
    settings = Settings()
    assert settings.max_width == 300
    with TestClient(create_app(settings)) as client:
        response = client.get("/v1/charts/bar?values=1&width=400")
        assert response.status_code == 413
        assert "300" in response.json()["detail"]


def test_render_processes_serve_the_same_bytes(make_settings) -> None:  # type: ignore[no-untyped-def]
    url = "/v1/charts/pie?values=1,2,3&labels=a,b,c"
    with TestClient(create_app(make_settings(render_processes=1))) as pooled:
        in_worker = pooled.get(url)
    with TestClient(create_app(make_settings())) as inline:
        in_process = inline.get(url)
    assert in_worker.status_code == in_process.status_code == 200
    assert in_worker.content == in_process.content
