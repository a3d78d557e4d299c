"""One-time link tokens: random, shown once (in the e-mail), stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    # a 256-bit random token needs no pepper or slow hash: it cannot be guessed
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
