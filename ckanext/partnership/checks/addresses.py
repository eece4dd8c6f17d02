"""Which network addresses the portal may fetch from: only public ones.

The checker and the standards fetcher download addresses that producers
write. Left alone, a link to ``http://127.0.0.1:8983/solr/...`` or to a
cloud metadata service would have the portal fetch its own private
services and echo the answer in a report. So every host is resolved and
*each* of its addresses must be public (or in a range the site trusts)
before anything is sent; the connection then goes to an address that was
checked, never to a second resolution of the name.

Nothing here imports CKAN. ``resolve`` defaults to the system resolver
and can be given another function (a table of names) in tests.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from typing import Callable, Iterable, Optional, Union

__all__ = [
    "Refused",
    "Trusted",
    "allowed_addresses",
    "is_public",
    "parse_trusted",
]

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]
IPNetwork = Union[ipaddress.IPv4Network, ipaddress.IPv6Network]
Resolve = Callable[[str, int], Iterable[str]]

#: IPv6 ranges that carry an IPv4 address in their last 32 bits: the
#: IPv4-compatible form (deprecated) and NAT64 (RFC 6052, RFC 8215).
_V4_IN_LAST_32 = (
    ipaddress.IPv6Network("::/96"),
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)

#: Ranges not globally reachable that some versions of ``ipaddress`` call
#: global: IETF protocol assignments, the 6to4 relay anycast (deprecated).
_ALSO_REFUSED = (
    ipaddress.IPv4Network("192.0.0.0/24"),
    ipaddress.IPv4Network("192.88.99.0/24"),
)


class Refused(Exception):
    """An address the portal does not fetch. ``reason`` is a code:
    ``scheme`` (not http or https), ``no_host``, ``private`` (a host with
    an address that is not public)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Trusted:
    """What a site trusts even if private: host names (as written in the
    address, compared without case and trailing dot) and networks."""

    names: frozenset[str] = frozenset()
    networks: tuple[IPNetwork, ...] = field(default_factory=tuple)

    def trusts_name(self, host: str) -> bool:
        return _plain_name(host) in self.names

    def trusts_address(self, address: IPAddress) -> bool:
        return any(address in network for network in self.networks
                   if network.version == address.version)


def _plain_name(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


def parse_trusted(value: Union[str, Iterable[str], None]) -> Trusted:
    """``ckanext.partnership.fetch.trusted_hosts``: host names and CIDR
    ranges (``10.2.0.0/16``, ``192.0.2.7``, ``fd00::/8``) separated by
    spaces or commas."""
    if value is None:
        return Trusted()
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value)
    names: set[str] = set()
    networks: list[IPNetwork] = []
    for item in items:
        item = str(item).strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item.strip("[]"), strict=False))
        except ValueError:
            names.add(_plain_name(item))
    return Trusted(frozenset(names), tuple(networks))


def _embedded_v4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address stands for or tunnels to."""
    found = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    if any(address in network for network in _V4_IN_LAST_32):
        found.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return found


def is_public(address: Union[str, IPAddress]) -> bool:
    """Whether an address is a public unicast internet address: not
    loopback, private (RFC 1918, unique-local fc00::/7), shared (CGNAT
    100.64.0.0/10), link-local, site-local, multicast, unspecified,
    reserved, broadcast or documentation; an IPv6 address that carries an
    IPv4 address (mapped, 6to4, Teredo, NAT64) only if that one is public.
    A string that is not an address is not public."""
    if isinstance(address, str):
        try:
            address = ipaddress.ip_address(address.strip().strip("[]").split("%", 1)[0])
        except ValueError:
            return False
    if (not address.is_global or address.is_private or address.is_loopback
            or address.is_link_local or address.is_multicast or address.is_reserved
            or address.is_unspecified):
        return False
    if isinstance(address, ipaddress.IPv6Address):
        if address.is_site_local:
            return False
        return all(is_public(v4) for v4 in _embedded_v4(address))
    return not any(address in network for network in _ALSO_REFUSED)


def _system_resolve(host: str, port: int) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def allowed_addresses(host: str, port: int, trusted: Optional[Trusted] = None,
                      resolve: Optional[Resolve] = None) -> list[str]:
    """The addresses to connect to for ``host``: every address it resolves
    to, in the resolver's order, when each of them is public or trusted (a
    host trusted by name is taken as it resolves). Raises Refused
    (``private``) when one is not, ``OSError`` (``socket.gaierror``) when
    the name does not resolve."""
    trusted = trusted or Trusted()
    if not host or not host.strip().strip("[]"):
        raise Refused("no_host")
    name = host.strip().strip("[]")
    found = list(dict.fromkeys((resolve or _system_resolve)(name, port)))
    if not found:
        raise socket.gaierror(socket.EAI_NONAME, "no address")
    if trusted.trusts_name(name):
        return found
    for text in found:
        try:
            address = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError:
            raise Refused("private") from None
        if not (is_public(address) or trusted.trusts_address(address)):
            raise Refused("private")
    return found
