"""Signed URLs: our HMAC-SHA256 scheme and Google's HMAC-SHA1 ``signature=`` scheme.

Both sign the request *as received*: the route path plus the raw query string
with the ``signature`` parameter removed, so a URL keeps its exact bytes (no
re-encoding, no re-ordering). Which scheme a signature uses follows from its
decoded length: 20 bytes is Google's SHA-1, 32 bytes is ours.

* **Ours** (``hmac-sha256``): ``base64url(HMAC-SHA256(secret, path + "?" + query))``
  without padding; an optional ``exp`` parameter (unix seconds) is part of the
  signed query, so it cannot be changed.
* **Google** (``hmac-sha1``): ``base64url(HMAC-SHA1(secret, path + "?" + query))``
  with padding — the Static Maps "digital signature" scheme, so migrated URLs
  keep working.

The secret is URL-safe base64 in both cases; comparisons are constant-time.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass

_SHA1_BYTES = 20
_SHA256_BYTES = 32


class SignatureError(Exception):
    """The signature is malformed or does not match."""


@dataclass(frozen=True)
class SignedQuery:
    """A raw query string split into the part that was signed and the signature."""

    signed: str
    signature: str | None


def decode_secret(secret: str) -> bytes:
    """Decode a URL-safe base64 secret (padding optional)."""
    padded = secret + "=" * (-len(secret) % 4)
    try:
        return base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise ValueError("signing secret is not URL-safe base64") from exc


def split_signature(raw_query: str) -> SignedQuery:
    """Remove ``signature=…`` from a raw query string, keeping every other byte."""
    kept: list[str] = []
    signature: str | None = None
    for part in raw_query.split("&") if raw_query else []:
        if part.startswith("signature="):
            signature = part[len("signature=") :]
        else:
            kept.append(part)
    return SignedQuery("&".join(kept), signature)


def message_for(path: str, signed_query: str) -> bytes:
    return f"{path}?{signed_query}".encode("latin-1", "replace")


def sign_sha256(secret: str, path: str, query: str) -> str:
    """Our scheme: the signature to append as ``&signature=…`` to ``path?query``."""
    mac = hmac.new(decode_secret(secret), message_for(path, query), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode("ascii")


def sign_google(secret: str, path: str, query: str) -> str:
    """Google's scheme: HMAC-SHA1 of ``path?query``, URL-safe base64 with padding."""
    mac = hmac.new(decode_secret(secret), message_for(path, query), hashlib.sha1)
    return base64.urlsafe_b64encode(mac.digest()).decode("ascii")


def _decode_signature(signature: str) -> bytes:
    # A signature travels in a URL: '=' may arrive percent-encoded.
    text = signature.replace("%3D", "=").replace("%3d", "=").rstrip("=")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise SignatureError("signature is not URL-safe base64") from exc


def verify(secret: str, path: str, signed: SignedQuery) -> str:
    """Check ``signed`` under ``secret``; return the scheme name or raise SignatureError."""
    if not signed.signature:
        raise SignatureError("no signature")
    given = _decode_signature(signed.signature)
    key = decode_secret(secret)
    message = message_for(path, signed.signed)
    if len(given) == _SHA1_BYTES:
        expected = hmac.new(key, message, hashlib.sha1).digest()
        scheme = "hmac-sha1"
    elif len(given) == _SHA256_BYTES:
        expected = hmac.new(key, message, hashlib.sha256).digest()
        scheme = "hmac-sha256"
    else:
        raise SignatureError("signature has the wrong length")
    if not hmac.compare_digest(given, expected):
        raise SignatureError("signature does not match")
    return scheme
