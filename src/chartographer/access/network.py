"""Who is calling from where: client IP behind trusted proxies, CIDR and referrer rules."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from urllib.parse import urlsplit

IPAddress = IPv4Address | IPv6Address


class CidrSet:
    """A set of networks; ``contains`` is False for anything that is not an address."""

    def __init__(self, cidrs: Iterable[str]) -> None:
        self.networks = tuple(ip_network(c, strict=False) for c in cidrs)

    def __bool__(self) -> bool:
        return bool(self.networks)

    def contains(self, address: str) -> bool:
        parsed = _parse(address)
        if parsed is None:
            return False
        return any(parsed.version == n.version and parsed in n for n in self.networks)


@lru_cache(maxsize=4096)
def _parse(address: str) -> IPAddress | None:
    try:
        parsed = ip_address(address.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(parsed, IPv6Address) and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped
    return parsed


#: the header schemes a trusted proxy may use to name the client (``forwarded_header``)
FORWARDED_HEADERS = ("x-forwarded-for", "forwarded")
_SCHEMES = frozenset({"http", "https", "ws", "wss"})


def _host(value: str) -> str:
    """``"[2001:db8::1]:4711"`` → ``2001:db8::1``, ``192.0.2.60:8080`` → ``192.0.2.60``."""
    value = value.strip().strip('"')
    if value.startswith("["):  # [v6]:port
        return value[1 : value.find("]")]
    if value.count(":") == 1:  # v4:port
        return value.split(":")[0]
    return value


def _forwarded_hops(lines: list[str]) -> list[tuple[str, str | None]]:
    """``(for, proto)`` of each element of RFC 7239 ``Forwarded`` lines, in order."""
    hops = []
    for element in ",".join(lines).split(","):
        address, proto = "", None
        for pair in element.split(";"):
            name, _, value = pair.strip().partition("=")
            if name.lower() == "for":
                address = _host(value)
            elif name.lower() == "proto":
                proto = value.strip().strip('"').lower()
        hops.append((address, proto))
    return hops


def _header_lines(headers: Sequence[tuple[bytes, bytes]], name: bytes) -> list[str]:
    return [value.decode("latin-1") for key, value in headers if key == name]


def resolve_client(
    peer: str | None,
    headers: Sequence[tuple[bytes, bytes]],
    trusted: CidrSet,
    scheme: str = "x-forwarded-for",
) -> tuple[str, str | None]:
    """The caller's address and, behind a trusted proxy, the scheme it used.

    Only a trusted peer is believed, and only in the one header ``scheme`` names
    (``x-forwarded-for`` or ``forwarded``); the other is ignored, since a client
    can send either. Repeated lines form one chain, walked from the right past
    trusted hops: the first untrusted address is the client. Anything a client
    prepends is never reached, because only the hops our own proxies appended
    are walked.
    """
    if peer is None:
        return "unknown", None
    if not trusted or not trusted.contains(peer):
        return peer, None
    if scheme == "forwarded":
        hops = _forwarded_hops(_header_lines(headers, b"forwarded"))
    else:
        lines = _header_lines(headers, b"x-forwarded-for")
        protos = _header_lines(headers, b"x-forwarded-proto")
        proto = ",".join(protos).split(",")[-1].strip().lower() if protos else None
        hops = [(hop.strip(), None) for hop in ",".join(lines).split(",")] if lines else []
        hops = [(address, proto) for address, _ in hops]
    for address, proto in reversed(hops):
        if _parse(address) is None:
            return peer, None  # garbage in the chain: do not guess
        if not trusted.contains(address):
            return address, proto if proto in _SCHEMES else None
    if hops:  # every hop is ours: the first one is the client
        address, proto = hops[0]
        return address, proto if proto in _SCHEMES else None
    return peer, None


def client_ip(
    peer: str | None,
    headers: Sequence[tuple[bytes, bytes]],
    trusted: CidrSet,
    scheme: str = "x-forwarded-for",
) -> str:
    """The caller's address (see :func:`resolve_client`)."""
    return resolve_client(peer, headers, trusted, scheme)[0]


def referrer_allowed(referrer: str | None, patterns: Sequence[str]) -> bool:
    """Does ``referrer`` match one of the patterns (``*.example.com/*``, ``https://a.b/*``)?

    Patterns without a scheme match any scheme. An empty pattern list allows all.
    """
    if not patterns:
        return True
    if not referrer:
        return False
    parts = urlsplit(referrer)
    if not parts.netloc:
        return False
    without_scheme = parts.netloc.lower() + (parts.path or "/")
    with_scheme = f"{parts.scheme.lower()}://{without_scheme}"
    for pattern in patterns:
        pattern = pattern.strip().lower()
        target = with_scheme if "://" in pattern else without_scheme
        if "/" not in pattern.split("://", 1)[-1]:
            pattern += "/*"  # a bare host pattern covers every page on that host
        if fnmatch.fnmatchcase(target, pattern):
            return True
    return False
