"""Errors of the access layer; rendered as problem+json by the shared handler.

::

    ChartographerError
    ├── MissingKey          401 missing-key        no key and no signature in keys mode
    ├── InvalidKey          401 invalid-key        malformed, unknown or revoked key
    ├── ExpiredKey          401 expired-key
    ├── AccessDenied        403 address-denied / address-not-allowed / referrer-not-allowed
    ├── InvalidSignature    403 invalid-signature
    ├── ExpiredSignature    403 signature-expired
    ├── RateLimited         429 rate-limited       a rate window is full (Retry-After)
    ├── QuotaExceeded       429 quota-exceeded     a daily/monthly quota is used up
    └── LimiterUnavailable  503 limiter-unavailable  Redis down with redis_outage=fail_closed

(``DatabaseUnavailable``, 503, lives in :mod:`chartographer.errors`: any route
that needs the database can answer it.)
"""

from __future__ import annotations

from chartographer.errors import ChartographerError

_BEARER = {"WWW-Authenticate": 'Bearer realm="chartographer"'}


class MissingKey(ChartographerError):
    status = 401
    type = "missing-key"
    title = "API key required"

    def __init__(self, detail: str = "", **kwargs: object) -> None:
        super().__init__(
            detail
            or "send an API key as key=…, X-API-Key or Authorization: Bearer, or sign the URL",
            param="key",
            headers=_BEARER,
        )


class InvalidKey(ChartographerError):
    status = 401
    type = "invalid-key"
    title = "API key not valid"


class ExpiredKey(ChartographerError):
    status = 401
    type = "expired-key"
    title = "API key expired"


class AccessDenied(ChartographerError):
    status = 403
    type = "forbidden"
    title = "Access denied"


class InvalidSignature(ChartographerError):
    status = 403
    type = "invalid-signature"
    title = "URL signature not valid"


class ExpiredSignature(ChartographerError):
    status = 403
    type = "signature-expired"
    title = "Signed URL expired"


class RateLimited(ChartographerError):
    status = 429
    type = "rate-limited"
    title = "Too many requests"


class QuotaExceeded(ChartographerError):
    status = 429
    type = "quota-exceeded"
    title = "Quota exceeded"


class LimiterUnavailable(ChartographerError):
    status = 503
    type = "limiter-unavailable"
    title = "Rate limiter unavailable"
