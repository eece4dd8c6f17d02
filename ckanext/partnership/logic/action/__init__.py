# -*- coding: utf-8 -*-
"""The actions, one module per capability. Every public function of these
modules is an action under its own name (CKAN's blanket discovery, so that no
list of names is kept by hand); helpers that are not actions start with
``_``."""
from __future__ import annotations

from typing import Any

from ckan.authz import get_local_functions

from ckanext.partnership.logic.action import (
    access, agreements, annual_review, comments, compliance, core, dashboard, metadata, publication,
    resource_checks,
)

MODULES = (core, metadata, agreements, publication, comments, resource_checks, dashboard,
           compliance, annual_review, access)


def get_actions() -> dict[str, Any]:
    """Every action of the extension, by name."""
    return {name: func for module in MODULES for name, func in get_local_functions(module)}
