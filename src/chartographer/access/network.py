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


def _forwarded_for(header: str) -> list[str]:
    """The ``for=`` addresses of an RFC 7239 ``Forwarded`` header, in order."""
    found = []
    for element in header.split(","):
        for pair in element.split(";"):
            name, _, value = pair.strip().partition("=")
            if name.lower() == "for":
                value = value.strip().strip('"')
                if value.startswith("["):  # [v6]:port
                    value = value[1 : value.find("]")]
                elif value.count(":") == 1:  # v4:port
                    value = value.split(":")[0]
                found.append(value)
    return found


def client_ip(peer: str | None, headers: Sequence[tuple[bytes, bytes]], trusted: CidrSet) -> str:
    """The caller's address: the peer, unless the peer is a trusted proxy.

    Behind trusted proxies the chain in ``Forwarded`` (or ``X-Forwarded-For``) is
    walked from the right, skipping trusted hops; the first untrusted address is
    the client. A client can prepend anything it likes to these headers, which is
    why only the hops our own proxies appended are believed.
    """
    if peer is None:
        return "unknown"
    if not trusted or not trusted.contains(peer):
        return peer
    chain: list[str] = []
    for name, value in headers:
        if name == b"forwarded":
            chain = _forwarded_for(value.decode("latin-1"))
            break
        if name == b"x-forwarded-for":
            chain.extend(p.strip() for p in value.decode("latin-1").split(","))
    for hop in reversed(chain):
        if _parse(hop) is None:
            return peer  # garbage in the chain: do not guess
        if not trusted.contains(hop):
            return hop
    return chain[0] if chain else peer


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
