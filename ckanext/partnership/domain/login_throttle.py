# -*- coding: utf-8 -*-
"""Login throttling, the rules: plain functions, no CKAN import.

The counting itself is Flask-Limiter's (``accounts.py``); these functions
say what is counted together and how long a refused client waits.
"""
from __future__ import annotations

import ipaddress
import math


def address_key(remote_addr: str | None) -> str:
    """The client a login attempt is counted against: an IPv4 address, or
    the /64 network of an IPv6 address (one subscriber's, whose host part
    a client changes at will). An IPv4-mapped IPv6 address is its IPv4
    address; what is not an address is counted as it came."""
    text = (remote_addr or "").strip()
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return "address:" + (text or "-")
    if address.version == 6:
        if address.ipv4_mapped is not None:
            return f"address:{address.ipv4_mapped}"
        return f"address:{ipaddress.ip_network(f'{address}/64', strict=False)}"
    return f"address:{address}"


def account_key(user_id: str | None, login: str | None) -> str:
    """The account a login attempt is counted against: the account CKAN
    checks the password of (whether named by its name or its e-mail
    address), else the login as typed, so that the limit behaves the same
    for names that exist and names that do not."""
    if user_id:
        return "account:" + user_id
    return "login:" + ((login or "").strip().lower() or "-")


def minutes_to_wait(reset_at: float, now: float) -> int:
    """Whole minutes until a refused client may try again (at least 1)."""
    return max(1, math.ceil((reset_at - now) / 60))
