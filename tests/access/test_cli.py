"""``chartographer db|plans|keys|usage`` through click's CliRunner, on a real database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient

from chartographer.access.keys import is_well_formed
from chartographer.app import create_app
from chartographer.cli import main
from chartographer.config import Settings
from tests.access.conftest import CHART, SECRET


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "CHARTOGRAPHER_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'cli.db'}",
        "CHARTOGRAPHER_KEY_HASH_SECRET": SECRET,
    }


def invoke(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_the_operator_workflow(env: dict[str, str]) -> None:
    assert "up to date" in invoke(env, "db", "upgrade").output
    created = invoke(
        env, "plans", "create", "basic", "--limit", "20/second", "--limit", "1000/minute",
        "--daily-quota", "500", "--monthly-quota", "10000",
    )  # fmt: skip
    assert created.exit_code == 0 and "20/second;1000/minute" in created.output
    listed = invoke(env, "plans", "list").output
    assert "basic\t20/second;1000/minute\tdaily=500 monthly=10000" in listed

    made = invoke(env, "keys", "create", "--plan", "basic", "--name", "acme")
    assert made.exit_code == 0
    key = made.output.strip().splitlines()[-1]
    assert is_well_formed(key)
    assert "signing secret" in made.output and "sub_" in made.output

    listing = invoke(env, "keys", "list").output
    assert key[:14] in listing and key not in listing and "active" in listing

    rotated = invoke(env, "keys", "rotate", "1", "--grace-days", "3")
    new_key = rotated.output.strip().splitlines()[-1]
    assert is_well_formed(new_key) and new_key != key
    third = invoke(env, "keys", "rotate", "1")
    assert third.exit_code == 1 and "already has 2 active keys" in third.output

    settings = Settings(
        access_mode="keys",
        render_processes=0,
        database_url=env["CHARTOGRAPHER_DATABASE_URL"],
        key_hash_secret=SECRET,
        key_cache_seconds=0,
        usage_flush_seconds=3600,
    )
    with TestClient(create_app(settings)) as client:
        assert client.get(f"{CHART}&key={key}").status_code == 200
        assert client.get(f"{CHART}&key={new_key}").status_code == 200
        revoked = invoke(env, "keys", "revoke", key[:14])
        assert revoked.exit_code == 0 and "revoked key 1" in revoked.output
        assert client.get(f"{CHART}&key={key}").status_code == 401
        assert client.get(f"{CHART}&key={new_key}").status_code == 200
    # shutdown flushed the usage
    report = invoke(env, "usage", "--days", "7").output.splitlines()
    assert report[0].startswith("day\tclient\tkey\troute\trequests")
    assert any(key[:14] in line and "/v1/charts/{kind}\t1\t0\t" in line for line in report)
    client_id = report[1].split("\t")[1]
    assert len(invoke(env, "usage", "--client", client_id).output.splitlines()) == 3
    assert "revoked" in invoke(env, "keys", "list").output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("plans", "create", "x", "--limit", "20/fortnight"), "20/fortnight"),
        (("keys", "create", "--plan", "nope"), "no plan named 'nope'"),
        (("keys", "revoke", "999"), "no key '999'"),
        (("keys", "rotate", "cg_live_nothin"), "no key"),
        (("usage", "--client", "sub_nobody"), "no subscription"),
    ],
)
def test_errors_are_clear(env: dict[str, str], args: tuple[str, ...], message: str) -> None:
    invoke(env, "db", "upgrade")
    result = invoke(env, *args)
    assert result.exit_code == 1 and message in result.output


def test_duplicate_plan_and_bad_restrictions(env: dict[str, str]) -> None:
    invoke(env, "db", "upgrade")
    invoke(env, "plans", "create", "p", "--limit", "1/second")
    assert "already exists" in invoke(env, "plans", "create", "p", "--limit", "1/second").output
    bad_cidr = invoke(env, "keys", "create", "--plan", "p", "--cidr", "10.0.0.0/99")
    assert bad_cidr.exit_code == 1 and "not a CIDR" in bad_cidr.output
    bad_secret = invoke(env, "keys", "create", "--plan", "p", "--signing-secret", "!!")
    assert bad_secret.exit_code == 1 and "base64" in bad_secret.output
    ok = invoke(env, "keys", "create", "--plan", "p", "--expires-days", "1", "--referrer", "a.b")
    assert ok.exit_code == 0 and "expires" not in ok.output


def test_database_not_upgraded_is_explained(env: dict[str, str]) -> None:
    result = invoke(env, "plans", "list")
    assert result.exit_code == 1 and "chartographer db upgrade" in result.output


def test_keys_mode_refuses_the_default_secret(env: dict[str, str]) -> None:
    env = {**env, "CHARTOGRAPHER_ACCESS_MODE": "keys"}
    del env["CHARTOGRAPHER_KEY_HASH_SECRET"]
    result = invoke(env, "db", "upgrade")
    assert result.exit_code == 1 and "KEY_HASH_SECRET" in result.output


@pytest.mark.parametrize("mode", ["open", "keys"])
@pytest.mark.parametrize("command", [("keys", "create", "--plan", "p"), ("keys", "rotate", "1")])
def test_no_key_is_made_with_the_public_default_secret(
    env: dict[str, str], mode: str, command: tuple[str, ...]
) -> None:
    invoke(env, "db", "upgrade")
    invoke(env, "plans", "create", "p", "--limit", "1/second")
    invoke(env, "keys", "create", "--plan", "p")  # one real key, made with the secret
    before = invoke(env, "keys", "list").output
    public = {"CHARTOGRAPHER_DATABASE_URL": env["CHARTOGRAPHER_DATABASE_URL"]}
    if mode == "keys":
        public["CHARTOGRAPHER_ACCESS_MODE"] = "keys"
    result = invoke(public, *command)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "CHARTOGRAPHER_KEY_HASH_SECRET" in lines[0]
    assert "secrets.token_urlsafe" in lines[0]  # says how to make one
    assert "cg_live_" not in result.output
    assert invoke(env, "keys", "list").output == before  # nothing was stored


def test_serve_without_the_secret_in_keys_mode_is_one_line(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "CHARTOGRAPHER_ACCESS_MODE": "keys",
        "CHARTOGRAPHER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-m", "chartographer.cli", "serve", "--port", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "CHARTOGRAPHER_KEY_HASH_SECRET" in done.stderr
    assert "secrets.token_urlsafe(32)" in done.stderr


def test_a_bad_setting_is_named_in_one_line() -> None:
    result = CliRunner().invoke(main, ["db", "upgrade"], env={"CHARTOGRAPHER_PORT": "0"})
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: configuration error: CHARTOGRAPHER_PORT: Input should be greater than or equal to 1"
    ]
