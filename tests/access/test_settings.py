"""The access settings block: lists from the environment, CIDR checks, refused defaults."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from chartographer.config import Settings


def test_lists_accept_commas_and_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CHARTOGRAPHER_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")
    monkeypatch.setenv("CHARTOGRAPHER_DENY_CIDRS", '["192.0.2.0/24"]')
    monkeypatch.setenv("CHARTOGRAPHER_OPEN_LIMITS", "")
    settings = Settings()
    assert settings.trusted_proxies == ["10.0.0.0/8", "127.0.0.1"]
    assert settings.deny_cidrs == ["192.0.2.0/24"]
    assert settings.open_limits == []
    assert Settings(allow_cidrs=["::1"]).allow_cidrs == ["::1"]


def test_a_bad_cidr_is_named() -> None:
    with pytest.raises(ValidationError, match=r"10\.0\.0\.0/99"):
        Settings(allow_cidrs="10.0.0.0/99")


def test_keys_mode_needs_a_private_key_hash_secret() -> None:
    with pytest.raises(ValidationError, match="KEY_HASH_SECRET"):
        Settings(access_mode="keys")
    assert Settings(access_mode="keys", key_hash_secret="private").access_mode == "keys"
    assert Settings().access_mode == "open"  # the embedded default is fine in open mode


@pytest.mark.parametrize(
    "url",
    [
        "redis://cache:6379/0",
        "unix:///run/redis.sock?db=2",
        "rediss://:pw@cache:6380/1?ssl_ca_certs=/ca.pem&ssl_cert_reqs=required",
    ],
)
def test_redis_urls_the_counters_can_use_are_taken(url: str) -> None:
    assert Settings(redis_url=url).redis_url == url


@pytest.mark.parametrize(
    ("url", "named"),
    [
        ("http://cache:6379/0", "redis://, rediss:// or unix://"),
        ("rediss://cache:6380/0?ssl_min_version=3&ssl_ciphers=x", "ssl_ciphers, ssl_min_version"),
    ],
)
def test_a_redis_url_the_counters_cannot_use_is_refused_by_name(url: str, named: str) -> None:
    with pytest.raises(ValidationError, match="redis_url") as refused:
        Settings(redis_url=url)
    assert named in str(refused.value)
