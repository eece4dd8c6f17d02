# -*- coding: utf-8 -*-
"""Agreements on CKAN's side: their documents on disk."""
from __future__ import annotations

import os
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib import uploader
from ckanext.partnership import model as pmodel


DOCUMENT_KINDS = ("signed", "amendment", "annex")


def document_dict(document: Any) -> dict[str, Any]:
    data = pmodel.as_dict(document)
    data.pop("stored_name")
    data["url"] = tk.url_for("partnership.document", id=document.agreement_id,
                             document_id=document.id, _external=True)
    return data


def document_path(document: Any) -> str:
    """Where the uploader stored a document's file."""
    return os.path.join(uploader.get_uploader("partnership").storage_path or "",
                        document.stored_name)


def state_label(state: str) -> str:
    """An agreement's state told to people: ``active`` → "in force"..."""
    return {
        "draft": tk._("in preparation"),
        "active": tk._("in force"),
        "terminating": tk._("ending"),
        "ended": tk._("ended"),
    }.get(state, state)
