"""API keys: generation, checksum, display prefix and the stored HMAC hash.

A key looks like ``cg_live_<32 base62 chars><6 base62 chars of CRC32>``. The
prefix makes a leaked key recognisable (secret scanners, logs); the checksum
lets the service reject a mistyped or made-up key without touching the
database. Only ``HMAC-SHA256(pepper, key)`` is stored, so a database dump does
not reveal usable keys, and the key is shown once, when it is created.
"""

from __future__ import annotations

import hmac
import secrets
import string
import zlib

KEY_PREFIX = "cg_live_"
_ALPHABET = string.digits + string.ascii_letters
_BODY_LENGTH = 32  # ~190 bits of entropy
_CHECKSUM_LENGTH = 6  # 62**6 > 2**32
KEY_LENGTH = len(KEY_PREFIX) + _BODY_LENGTH + _CHECKSUM_LENGTH
DISPLAY_LENGTH = len(KEY_PREFIX) + 6


def _base62(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, remainder = divmod(number, 62)
        digits.append(_ALPHABET[remainder])
    return "".join(reversed(digits))


def _checksum(body: str) -> str:
    return _base62(zlib.crc32(body.encode("ascii")), _CHECKSUM_LENGTH)


def generate_key() -> str:
    """A new random key with its prefix and checksum."""
    body = "".join(secrets.choice(_ALPHABET) for _ in range(_BODY_LENGTH))
    return KEY_PREFIX + body + _checksum(body)


def is_well_formed(key: str) -> bool:
    """Prefix, length, alphabet and checksum are right (no database needed)."""
    if len(key) != KEY_LENGTH or not key.startswith(KEY_PREFIX):
        return False
    body = key[len(KEY_PREFIX) : len(KEY_PREFIX) + _BODY_LENGTH]
    check = key[len(KEY_PREFIX) + _BODY_LENGTH :]
    if any(c not in _ALPHABET for c in body):
        return False
    return hmac.compare_digest(check, _checksum(body))


def display_prefix(key: str) -> str:
    """The part of a key that may be shown in listings and usage (``cg_live_AbC123``)."""
    return key[:DISPLAY_LENGTH]


def hash_key(key: str, pepper: bytes) -> str:
    """The stored form of a key: hex HMAC-SHA256 under the service's pepper."""
    return hmac.digest(pepper, key.encode("utf-8"), "sha256").hex()  # one C call


def generate_client_id() -> str:
    """Public subscription id used as ``client=`` in signed URLs."""
    return "sub_" + "".join(secrets.choice(_ALPHABET) for _ in range(16))


def generate_signing_secret() -> str:
    """A URL-safe base64 secret (32 bytes), the format Google's signing secrets use."""
    return secrets.token_urlsafe(32) + "="
