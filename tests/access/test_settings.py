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
