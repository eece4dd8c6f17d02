# -*- coding: utf-8 -*-
"""Template helpers, all prefixed ``partnership_``."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def partnership_host_organization() -> str:
    """The name of the host's organisation, as configured ('' if none)."""
    return tk.config.get("ckanext.partnership.host_organization") or ""


def partnership_partner_organizations(limit: int = 20) -> list[dict[str, Any]]:
    """The partner organisations (every organisation but the host's), by
    title, with their dataset counts."""
    orgs = tk.get_action("organization_list")(
        {}, {"all_fields": True, "sort": "title asc", "limit": limit + 1}
    )
    host = partnership_host_organization()
    return [o for o in orgs if host not in (o["name"], o["id"])][:limit]
