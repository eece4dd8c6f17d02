# -*- coding: utf-8 -*-
"""The pages of the annual review and its exports: thin views over
``partnership_annual_review`` (routes in ``ckanext.partnership.views``)."""
from __future__ import annotations

from typing import Any, Optional

import flask

import ckan.plugins.toolkit as tk

from ckanext.partnership import model as pmodel
from ckanext.partnership.core.pages import action_context
from ckanext.partnership.domain import annual_review as rules

from . import exports
from .figures import file_name

_ = tk._

#: The media type of each export.
FORMATS = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
           "json": "application/json; charset=utf-8"}


def _review(year: int, organization: Optional[str]) -> dict[str, Any]:
    data: dict[str, Any] = {"year": year}
    if organization is not None:
        data["organization"] = organization
    try:
        return tk.get_action("partnership_annual_review")(action_context(), data)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error) or _("Not authorized to see this page"))
    except tk.ValidationError as error:
        if "organization" in error.error_dict:
            return tk.abort(404, _("Organization not found"))
        return tk.abort(400, "; ".join(str(m) for messages in error.error_dict.values()
                                       for m in (messages if isinstance(messages, list)
                                                 else [messages])))


def review(year: int, organization: Optional[str] = None):
    """The review as a page: each section's figures beside the year
    before's, its charts and their tables, the links to the exports."""
    found = _review(year, organization)
    shown = exports.presented(found)
    org = found["organization"]
    args = {"organization": org["name"]} if org else {}
    shown["links"] = {
        fmt: tk.h.url_for("partnership.annual_review_export", year=year, fmt=fmt, **args)
        if org else tk.h.url_for("partnership.portal_review_export", year=year, fmt=fmt)
        for fmt in FORMATS}
    this_year = pmodel.now().date().year
    shown["other_years"] = [
        {"year": y, "url": tk.h.url_for("partnership.annual_review", year=y, **args) if org
         else tk.h.url_for("partnership.portal_review", year=y)}
        for y in (year - 1, year + 1) if rules.FIRST_YEAR <= y <= this_year]
    return tk.render("partnership/annual_review.html", shown)


def export(year: int, fmt: str, organization: Optional[str] = None):
    """The review as a file: PDF, CSV or JSON."""
    if fmt not in FORMATS:
        return tk.abort(404, _("Choose a format: {allowed}").format(allowed=", ".join(FORMATS)))
    found = _review(year, organization)
    body = exports.export(found, fmt)
    name = file_name(found["organization"]["name"] if found["organization"] else None, year, fmt)
    response = flask.make_response(body)
    response.headers["Content-Type"] = FORMATS[fmt]
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
