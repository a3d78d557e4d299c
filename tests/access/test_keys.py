"""Key format, checksum and hashing; signing schemes; network rules."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from chartographer.access import keys, signing
from chartographer.access.network import CidrSet, client_ip, referrer_allowed


def test_generated_keys_are_prefixed_checksummed_and_unique() -> None:
    made = {keys.generate_key() for _ in range(200)}
    assert len(made) == 200
    for key in made:
        assert key.startswith("cg_live_") and len(key) == keys.KEY_LENGTH
        assert keys.is_well_formed(key)
        assert keys.display_prefix(key) == key[:14]


def test_a_changed_character_fails_the_checksum() -> None:
    key = keys.generate_key()
    body_char = key[10]
    other = "a" if body_char != "a" else "b"
    assert not keys.is_well_formed(key[:10] + other + key[11:])
    assert not keys.is_well_formed(key[:-1])
    assert not keys.is_well_formed("xx_live_" + key[8:])
    assert not keys.is_well_formed(key[:12] + "!" + key[13:])


def test_hash_depends_on_the_pepper_and_is_hex_sha256() -> None:
    key = keys.generate_key()
    first = keys.hash_key(key, b"one")
    assert len(first) == 64 and int(first, 16) >= 0
    assert first != keys.hash_key(key, b"two")
    assert first == keys.hash_key(key, b"one")


def test_client_id_and_signing_secret_formats() -> None:
    assert keys.generate_client_id().startswith("sub_")
    assert len(signing.decode_secret(keys.generate_signing_secret())) == 32


# Google's published example ("Digital signatures", Maps web services; also the
# googlemaps client libraries' tests): this secret signs this URL portion to this.
GOOGLE_SECRET = "vNIXE0xscrmjlyV-12Nj_BvUPaw="
GOOGLE_PATH = "/maps/api/geocode/json"
GOOGLE_QUERY = "address=New+York&client=clientID"
GOOGLE_SIGNATURE = "chaRF2hTJKOScPr-RQCEhZbSzIE="


def test_google_scheme_matches_the_published_test_vector() -> None:
    assert signing.sign_google(GOOGLE_SECRET, GOOGLE_PATH, GOOGLE_QUERY) == GOOGLE_SIGNATURE
    signed = signing.split_signature(f"{GOOGLE_QUERY}&signature={GOOGLE_SIGNATURE}")
    assert signed == signing.SignedQuery(GOOGLE_QUERY, GOOGLE_SIGNATURE)
    assert signing.verify(GOOGLE_SECRET, GOOGLE_PATH, signed) == "hmac-sha1"
    # percent-encoded padding, as some clients send it
    encoded = signing.SignedQuery(GOOGLE_QUERY, GOOGLE_SIGNATURE.replace("=", "%3D"))
    assert signing.verify(GOOGLE_SECRET, GOOGLE_PATH, encoded) == "hmac-sha1"


def test_our_scheme_signs_path_and_raw_query() -> None:
    secret = keys.generate_signing_secret()
    query = "values=3,7,5&client=sub_x&exp=2000000000"
    sig = signing.sign_sha256(secret, "/v1/charts/bar", query)
    assert "=" not in sig and len(sig) == 43
    signed = signing.split_signature(f"values=3,7,5&signature={sig}&client=sub_x&exp=2000000000")
    assert signing.verify(secret, "/v1/charts/bar", signed) == "hmac-sha256"
    with pytest.raises(signing.SignatureError, match="does not match"):
        signing.verify(secret, "/v1/charts/line", signed)
    reordered = signing.SignedQuery("client=sub_x&values=3,7,5&exp=2000000000", sig)
    with pytest.raises(signing.SignatureError):
        signing.verify(secret, "/v1/charts/bar", reordered)


@pytest.mark.parametrize(
    ("signature", "message"),
    [(None, "no signature"), ("!!!!", "not URL-safe"), ("YWJj", "wrong length")],
)
def test_malformed_signatures_are_refused(signature: str | None, message: str) -> None:
    with pytest.raises(signing.SignatureError, match=message):
        signing.verify(GOOGLE_SECRET, "/x", signing.SignedQuery("a=1", signature))


def test_bad_secret_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="base64"):
        signing.decode_secret("é")


def test_cidr_set() -> None:
    cidrs = CidrSet(["10.0.0.0/8", "2001:db8::/32"])
    assert cidrs and cidrs.contains("10.1.2.3") and cidrs.contains("2001:db8::1")
    assert cidrs.contains("::ffff:10.0.0.1")  # IPv4-mapped IPv6
    assert not cidrs.contains("192.168.0.1") and not cidrs.contains("not-an-ip")
    assert not CidrSet([])


def _headers(**values: str) -> list[tuple[bytes, bytes]]:
    return [(k.replace("_", "-").encode(), v.encode()) for k, v in values.items()]


def test_forwarded_headers_are_believed_only_from_trusted_proxies() -> None:
    trusted = CidrSet(["127.0.0.1/32", "10.0.0.0/8"])
    spoof = _headers(x_forwarded_for="6.6.6.6")
    assert client_ip("203.0.113.9", spoof, trusted) == "203.0.113.9"
    assert client_ip("203.0.113.9", spoof, CidrSet([])) == "203.0.113.9"
    # client → 10.0.0.5 (our LB) → 127.0.0.1 (our nginx): rightmost untrusted wins
    chain = _headers(x_forwarded_for="6.6.6.6, 198.51.100.7, 10.0.0.5")
    assert client_ip("127.0.0.1", chain, trusted) == "198.51.100.7"
    forwarded = _headers(forwarded='for=192.0.2.60;proto=http, for="[2001:db8::1]:4711"')
    assert client_ip("127.0.0.1", forwarded, trusted, "forwarded") == "2001:db8::1"
    port = _headers(forwarded="for=192.0.2.60:8080")
    assert client_ip("127.0.0.1", port, trusted, "forwarded") == "192.0.2.60"
    assert client_ip("127.0.0.1", port, trusted) == "127.0.0.1"  # not the configured header
    assert client_ip("127.0.0.1", _headers(x_forwarded_for="10.0.0.9"), trusted) == "10.0.0.9"
    assert client_ip("127.0.0.1", _headers(x_forwarded_for="junk"), trusted) == "127.0.0.1"
    assert client_ip("127.0.0.1", [], trusted) == "127.0.0.1"
    assert client_ip(None, [], trusted) == "unknown"


@pytest.mark.parametrize(
    ("referrer", "patterns", "allowed"),
    [
        ("https://www.example.com/page", ["*.example.com"], True),
        ("https://example.com/page", ["*.example.com"], False),
        ("https://example.com/docs/a", ["example.com/docs/*"], True),
        ("https://example.com/blog/a", ["example.com/docs/*"], False),
        ("http://example.com/", ["https://example.com/*"], False),
        ("https://example.com/", ["https://example.com/*"], True),
        (None, ["*.example.com"], False),
        ("not a url", ["*"], False),
        (None, [], True),
    ],
)
def test_referrer_patterns(referrer: str | None, patterns: list[str], allowed: bool) -> None:
    assert referrer_allowed(referrer, patterns) is allowed


def test_hash_is_the_stored_hmac_sha256() -> None:
    """The hashes already in databases were made with ``hmac.new``: the one-shot must agree."""
    key = keys.generate_key()
    expected = hmac.new(b"pepper", key.encode(), hashlib.sha256).hexdigest()
    assert keys.hash_key(key, b"pepper") == expected
