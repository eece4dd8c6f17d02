# -*- coding: utf-8 -*-
"""Whether the agreements' promises are kept: the quotas measured per
partner and for the portal, the API calls counted, the 80 % mail. Other
packages reach it through these names, never its modules."""
from __future__ import annotations

from .alerts import quota_alerts
from .counter import calls as api_calls
from .counter import count_api_calls
from .counter import persist as persist_api_calls
from .quotas import portal_quota_usage, quota_usage, quota_usages

__all__ = ["quota_usage", "quota_usages", "portal_quota_usage", "count_api_calls",
           "api_calls", "persist_api_calls", "quota_alerts"]
