# -*- coding: utf-8 -*-
"""The steering committee's annual review (000 art. 12)."""
from __future__ import annotations

from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict
from ckanext.partnership import annual_review
from ckanext.partnership.logic import schema


@tk.side_effect_free
def partnership_annual_review(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The review of one partner (or of the whole portal) for one calendar
    year: the agreement's year, publication, answers to users, quality, the
    annex, quotas, use of the data; each figure's total, its twelve months
    and its total the year before. Validators, and the partner's members
    for their own.

    :param organization: the partner (name or id); omitted, the whole portal
    :type organization: string
    :param year: the calendar year (``YYYY``), this one or before
    :type year: int

    :returns: the review (README, API, "Annual review")
    :rtype: dictionary
    """
    data = schema.validated(data_dict, schema.annual_review_schema(), context)
    tk.check_access("partnership_annual_review", context, data)
    organization = model.Group.get(data["organization"]) if data.get("organization") else None
    return annual_review.build(organization, int(data["year"]))
