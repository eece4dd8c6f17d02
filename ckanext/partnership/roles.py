# -*- coding: utf-8 -*-
"""Who is who (shared API, "Who is who"): one place for the role rules."""
from __future__ import annotations

from typing import Optional

import ckan.authz as authz
import ckan.model as model
import ckan.plugins.toolkit as tk


def host_organization() -> Optional[model.Group]:
    name = tk.config.get("ckanext.partnership.host_organization")
    return model.Group.get(name) if name else None


def is_validator(user_name: Optional[str]) -> bool:
    """A sysadmin, or an editor or admin of the host's organisation."""
    if not user_name:
        return False
    if authz.is_sysadmin(user_name):
        return True
    host = host_organization()
    return bool(host) and authz.has_user_permission_for_group_or_org(
        host.id, user_name, "update_dataset"
    )


def is_member(user_name: Optional[str], organization_id: str) -> bool:
    """Any member (member, editor, admin) of the organisation."""
    if not user_name:
        return False
    user = model.User.get(user_name)
    if not user:
        return False
    return bool(
        model.Session.query(model.Member)
        .filter(model.Member.group_id == organization_id)
        .filter(model.Member.table_name == "user")
        .filter(model.Member.table_id == user.id)
        .filter(model.Member.state == "active")
        .count()
    )
