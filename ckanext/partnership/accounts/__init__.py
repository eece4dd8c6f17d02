# -*- coding: utf-8 -*-
"""Accounts: one session per user, login throttling."""
from .sessions import (  # noqa: F401
    identify,
    setup,
    throttle_prefix,
)
