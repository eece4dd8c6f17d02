# -*- coding: utf-8 -*-
"""Login throttling rules (plain functions, no database)."""
from __future__ import annotations

import pytest

from ckanext.partnership.domain import login_throttle


@pytest.mark.parametrize("remote, key", [
    ("198.51.100.7", "address:198.51.100.7"),
    (" 198.51.100.7 ", "address:198.51.100.7"),
    ("::ffff:198.51.100.7", "address:198.51.100.7"),
    ("2001:db8:1:1::1", "address:2001:db8:1:1::/64"),
    ("2001:db8:1:1:abcd:ef01:2345:6789", "address:2001:db8:1:1::/64"),
    ("2001:DB8:1:1::2", "address:2001:db8:1:1::/64"),
    ("fe80::1%eth0", "address:fe80::/64"),
    ("", "address:-"),
    (None, "address:-"),
    ("not-an-address", "address:not-an-address"),
])
def test_address_key(remote, key):
    assert login_throttle.address_key(remote) == key


def test_two_ipv6_networks_are_two_clients():
    assert login_throttle.address_key("2001:db8:1:1::1") != login_throttle.address_key("2001:db8:1:2::1")


def test_account_key_is_the_account_when_there_is_one():
    assert login_throttle.account_key("b5c1", "Paul") == login_throttle.account_key("b5c1", "paul@aix.fr")
    assert login_throttle.account_key("b5c1", "Paul") == "account:b5c1"


def test_account_key_of_an_unknown_login_is_the_login():
    assert login_throttle.account_key(None, " Inconnu ") == "login:inconnu"
    assert login_throttle.account_key(None, "") == "login:-"
    assert login_throttle.account_key(None, None) == "login:-"
    # a login spelled as an account's id is not that account
    assert login_throttle.account_key(None, "b5c1") != login_throttle.account_key("b5c1", "Paul")


@pytest.mark.parametrize("seconds, minutes", [(0, 1), (1, 1), (60, 1), (61, 2), (899, 15),
                                              (-5, 1)])
def test_minutes_to_wait(seconds, minutes):
    assert login_throttle.minutes_to_wait(1000.0 + seconds, 1000.0) == minutes
