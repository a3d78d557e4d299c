"""/docs and /redoc load every asset from the service itself (air-gapped installs)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient


def test_docs_pages_reference_only_local_assets(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page)
        assert html.status_code == 200
        urls = re.findall(r'(?:src|href)="([^"]+)"', html.text) + re.findall(
            r"url: '([^']+)'", html.text
        )
        assert urls, page
        for url in urls:
            assert url.startswith("/"), f"{page} loads {url} from elsewhere"
        assert "googleapis" not in html.text and "jsdelivr" not in html.text
        for asset in re.findall(r'(?:src|href)="(/static-docs/[^"]+)"', html.text):
            got = client.get(asset)
            assert got.status_code == 200, asset
            assert len(got.content) > 1000, asset


def test_the_bundles_are_the_real_swagger_ui_and_redoc(client: TestClient) -> None:
    swagger = client.get("/static-docs/swagger-ui-bundle.js")
    assert swagger.headers["content-type"].startswith("text/javascript")
    assert b"SwaggerUIBundle" in swagger.content
    redoc = client.get("/static-docs/redoc.standalone.js")
    assert b"Redoc" in redoc.content
    assert client.get("/static-docs/swagger-ui.css").headers["content-type"].startswith("text/css")
