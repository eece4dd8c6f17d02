# -*- coding: utf-8 -*-
"""Auth functions, one per action of the same name."""
from __future__ import annotations

import ckan.authz as authz
import ckan.plugins.toolkit as tk
from ckan.types import AuthResult, Context, DataDict


@tk.auth_allow_anonymous_access
def partnership_metadata_check(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may read the dataset may check it."""
    return authz.is_authorized("package_show", context, data_dict)
