"""X-Request-ID in and out, structured (JSON) log lines, redaction kept."""

from __future__ import annotations

import io
import json
import logging
import logging.config
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from chartographer.app import create_app
from chartographer.logs import log_config
from chartographer.observability import request_id_from
from tests.conftest import SettingsFactory

CHART = "/v1/charts/bar?values=3,7,5&width=200&height=120"


def test_request_id_is_kept_or_made(client: TestClient) -> None:
    given = client.get(CHART, headers={"X-Request-ID": "abc-123.x"})
    assert given.status_code == 200
    assert given.headers["x-request-id"] == "abc-123.x"
    made = client.get(CHART)
    assert len(made.headers["x-request-id"]) == 32
    assert made.headers["x-request-id"] != client.get(CHART).headers["x-request-id"]
    # errors carry one too
    assert client.get("/nowhere").headers["x-request-id"]


def test_unsafe_request_ids_are_replaced() -> None:
    assert request_id_from([(b"x-request-id", b"ok_1")]) == "ok_1"
    for bad in (b"", b"a b", b"x" * 129, b"\xff", b"line\nbreak"):
        replaced = request_id_from([(b"x-request-id", bad)])
        assert replaced != bad.decode("latin-1") and len(replaced) == 32


@pytest.fixture
def json_logs(make_settings: SettingsFactory) -> Iterator[tuple[io.StringIO, SettingsFactory]]:
    """The server's logging config in JSON mode, writing to a buffer."""
    stream = io.StringIO()
    config = log_config(make_settings(log_format="json"))
    config["handlers"]["default"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        yield stream, make_settings
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
        logging.getLogger("chartographer").handlers.clear()
        logging.getLogger("chartographer").propagate = True


def test_json_access_log_has_request_id_and_redacts_keys(
    json_logs: tuple[io.StringIO, SettingsFactory],
) -> None:
    stream, make_settings = json_logs
    with TestClient(create_app(make_settings(log_format="json"))) as client:
        response = client.get(
            CHART + "&key=cg_live_secretvalue", headers={"X-Request-ID": "req-42"}
        )
    assert response.status_code == 200
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "chartographer.access"]
    assert len(access) == 1
    entry = access[0]
    assert entry["request_id"] == "req-42"
    assert entry["http_status"] == 200
    assert entry["http_method"] == "GET"
    assert entry["duration_ms"] > 0
    assert "key=***" in entry["http_target"] and "secretvalue" not in stream.getvalue()
    assert entry["level"] == "info" and entry["ts"].endswith("+00:00")


def test_text_format_tags_lines_with_the_request_id(make_settings: SettingsFactory) -> None:
    stream = io.StringIO()
    config = log_config(make_settings())
    config["handlers"]["default"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        logging.getLogger("chartographer.test").warning("Bearer abc.def /chart?key=cg_x")
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("chartographer.test").exception("failed")
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
        logging.getLogger("chartographer").handlers.clear()
        logging.getLogger("chartographer").propagate = True
    text = stream.getvalue()
    assert "[-] Bearer *** /chart?key=***" in text
    assert "ValueError: boom" in text


@pytest.mark.parametrize(("server", "written_by_app"), [("granian", True), ("uvicorn", False)])
def test_text_access_line_when_the_server_writes_none(
    make_settings: SettingsFactory, server: str, written_by_app: bool
) -> None:
    """Granian writes no access log: the app does, in text as in JSON; uvicorn writes its own."""
    settings = make_settings(server=server)
    stream = io.StringIO()
    config = log_config(settings)
    config["handlers"]["default"]["stream"] = stream
    logging.config.dictConfig(config)
    try:
        with TestClient(create_app(settings)) as client:
            ok = client.get(CHART + "&key=cg_live_secretvalue", headers={"X-Request-ID": "req-7"})
            missing = client.get("/nowhere?si%67nature=sigvalue123")
    finally:
        logging.config.dictConfig({"version": 1, "disable_existing_loggers": False})
        logging.getLogger("chartographer").handlers.clear()
        logging.getLogger("chartographer").propagate = True
    assert ok.status_code == 200 and missing.status_code == 404
    access = [line for line in stream.getvalue().splitlines() if "chartographer.access" in line]
    if not written_by_app:
        assert access == []
        return
    assert len(access) == 2, stream.getvalue()
    first = re.fullmatch(
        r"\S+ \S+ INFO chartographer\.access \[req-7\] testclient - "
        r'"GET (/v1/charts/bar\?\S+)" 200 (\d+\.\d) ms',
        access[0],
    )
    assert first, access[0]
    assert first.group(1) == CHART + "&key=***"
    assert float(first.group(2)) > 0
    rid = missing.headers["x-request-id"]
    assert f"[{rid}] testclient - " in access[1]
    assert '"GET /nowhere?si%67nature=***" 404 ' in access[1]
    assert "secretvalue" not in stream.getvalue() and "sigvalue123" not in stream.getvalue()


def test_json_exceptions_are_one_line(json_logs: tuple[io.StringIO, SettingsFactory]) -> None:
    stream, _ = json_logs
    try:
        raise RuntimeError("with /chart?key=cg_live_zzz")
    except RuntimeError:
        logging.getLogger("chartographer.test").exception("oops", extra={"detail": "?key=cg_1"})
    (line,) = stream.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["message"] == "oops" and entry["request_id"] == "-"
    assert "RuntimeError: with /chart?key=***" in entry["exception"]
    assert entry["detail"] == "?key=***"


def test_a_forked_child_makes_different_ids() -> None:
    # the at-fork hook itself (os.fork in a threaded test run would warn)
    from chartographer import observability

    parent = request_id_from([])
    observability._reseed()
    child = request_id_from([])
    assert child[:16] != parent[:16] and len(child) == 32
    assert child.endswith("1")  # a fresh counter
