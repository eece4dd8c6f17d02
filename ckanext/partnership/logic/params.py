# -*- coding: utf-8 -*-
"""The parameters several list actions share: a day, a partner organisation."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import DataDict

from ckanext.partnership.logic import schema

_ = tk._


def day_param(data_dict: DataDict, key: str) -> Optional[dt.date]:
    """A ``YYYY-MM-DD`` parameter, or a ValidationError naming it."""
    value = data_dict.get(key)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise tk.ValidationError({key: [_("Not a date: use YYYY-MM-DD")]})


def organization_param(data_dict: DataDict) -> str:
    """The id of the ``organization`` parameter, or a ValidationError."""
    schema.checked_text(data_dict, schema.lookup_schema())
    org = model.Group.get(str(data_dict.get("organization")))
    if org is None or not org.is_organization:
        raise tk.ValidationError({"organization": [_("Organization not found")]})
    return org.id
