# -*- coding: utf-8 -*-
"""Which addresses the portal fetches from, without CKAN or network: the
address rules as a table, the spellings of 127.0.0.1 through the system's
resolver, and names resolved by a table."""
from __future__ import annotations

import ipaddress
import socket

import pytest

from ckanext.partnership.checks.addresses import (
    Refused, allowed_addresses, is_public, parse_trusted,
)

PUBLIC = [
    "8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111",
    "2a00:1450:4007:80c::200e",
    "2002:808:808::1",  # 6to4 of a public address
]

NOT_PUBLIC = [
    # IPv4
    "127.0.0.1", "127.255.255.254",          # loopback
    "10.0.0.1", "172.16.0.1", "172.31.255.255", "192.168.1.1",  # RFC 1918
    "100.64.0.1", "100.127.255.254",         # shared, CGNAT
    "169.254.169.254",                       # link-local: cloud metadata
    "0.0.0.0", "0.1.2.3",                    # unspecified, "this network"
    "224.0.0.1", "239.255.255.250",          # multicast
    "240.0.0.1", "255.255.255.255",          # reserved, broadcast
    "192.0.2.10", "198.51.100.1", "203.0.113.7",  # documentation
    "198.18.0.1", "192.0.0.8", "192.88.99.1",  # benchmarking, IETF, 6to4 relay
    # IPv6
    "::1", "::",                             # loopback, unspecified
    "fe80::1", "fe80::1%eth0", "febf::1",    # link-local
    "fc00::1", "fd12:3456::1",               # unique-local fc00::/7
    "fec0::1",                               # site-local (deprecated)
    "ff02::1", "ff0e::1",                    # multicast, even global scope
    "2001:db8::1",                           # documentation
    "::ffff:127.0.0.1", "::ffff:10.0.0.1",   # IPv4-mapped
    "::ffff:169.254.169.254",
    "::127.0.0.1",                           # IPv4-compatible
    "64:ff9b::7f00:1",                       # NAT64 of 127.0.0.1
    "2002:7f00:1::1", "2002:a00:1::1",       # 6to4 of loopback, of 10.0.0.1
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
    # not an address at all
    "", "localhost", "127.0.0.1.", "[::1",
]


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address):
    assert is_public(address)
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_other_addresses_are_refused(address):
    assert not is_public(address)


def table(names: dict[str, list[str]]):
    """A resolver answering from a table, counting its questions."""
    asked = []

    def resolve(host, port):
        asked.append(host)
        host = host.lower().rstrip(".")  # as DNS compares names
        if host not in names:
            raise socket.gaierror(socket.EAI_NONAME, "unknown")
        return names[host]

    resolve.asked = asked
    return resolve


# the spellings of 127.0.0.1 (and ::1) that the system's resolver accepts
LOOPBACK_SPELLINGS = ["127.0.0.1", "2130706433", "0x7f.1", "0x7f000001", "127.1",
                      "0177.0.0.1", "017700000001", "127.000.000.001", "::1", "[::1]",
                      "::ffff:127.0.0.1", "[::ffff:127.0.0.1]", "localhost",
                      "LOCALHOST"]


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_every_spelling_of_loopback_is_refused_after_resolution(host):
    with pytest.raises(Refused) as refused:
        allowed_addresses(host, 80)
    assert refused.value.reason == "private"


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_a_trusted_range_allows_loopback_whatever_its_spelling(host):
    trusted = parse_trusted("127.0.0.0/8 ::1 ::ffff:127.0.0.0/104")
    assert allowed_addresses(host, 80, trusted)


def test_a_public_looking_name_that_resolves_to_loopback_is_refused():
    resolve = table({"donnees.aixenprovence.fr": ["127.0.0.1"]})
    with pytest.raises(Refused):
        allowed_addresses("donnees.aixenprovence.fr", 443, resolve=resolve)


def test_every_address_of_a_name_is_checked():
    resolve = table({"cdn.example.org": ["93.184.216.34", "2606:4700::1", "10.0.0.7"],
                     "good.example.org": ["93.184.216.34", "2606:4700::1"]})
    with pytest.raises(Refused):
        allowed_addresses("cdn.example.org", 80, resolve=resolve)
    assert allowed_addresses("good.example.org", 80, resolve=resolve) == [
        "93.184.216.34", "2606:4700::1"]


def test_a_name_that_does_not_resolve_is_an_os_error():
    with pytest.raises(OSError):
        allowed_addresses("nowhere.example.org", 80, resolve=table({}))


@pytest.mark.parametrize("host", ["", "[]", "  "])
def test_no_host_is_refused(host):
    with pytest.raises(Refused) as refused:
        allowed_addresses(host, 80, resolve=table({}))
    assert refused.value.reason == "no_host"


def test_trusted_names_and_ranges():
    trusted = parse_trusted("Donnees.Intranet.fr, 10.20.0.0/16  192.0.2.7 fd00::/8 bad/name")
    assert trusted.names == {"donnees.intranet.fr", "bad/name"}
    assert [str(n) for n in trusted.networks] == ["10.20.0.0/16", "192.0.2.7/32", "fd00::/8"]
    resolve = table({"donnees.intranet.fr": ["10.99.0.1"], "autre.intranet.fr": ["10.20.3.4"],
                     "fuite.intranet.fr": ["10.21.0.1"], "v6.intranet.fr": ["fd00::5"]})
    # by name: whatever it resolves to
    assert allowed_addresses("DONNEES.intranet.fr.", 80, trusted, resolve) == ["10.99.0.1"]
    # by range: the addresses
    assert allowed_addresses("autre.intranet.fr", 80, trusted, resolve) == ["10.20.3.4"]
    assert allowed_addresses("v6.intranet.fr", 80, trusted, resolve) == ["fd00::5"]
    with pytest.raises(Refused):
        allowed_addresses("fuite.intranet.fr", 80, trusted, resolve)
    assert parse_trusted("").names == frozenset() and parse_trusted(None).networks == ()
