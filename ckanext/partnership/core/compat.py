# -*- coding: utf-8 -*-
"""What differs between the CKAN versions the extension runs on (2.11.6 and
2.12.0, see README, "Supported CKAN versions"), in one place. Code valid on
both is preferred; a difference that cannot be written once is a function
here, named after what CKAN does, with the version that changed it."""
from __future__ import annotations

from typing import Any

from sqlalchemy import orm

import ckan.model as model
import ckan.plugins.toolkit as tk


def bulk_actions_save_each_dataset() -> bool:
    """Whether ``bulk_update_public``, ``_private`` and ``_delete`` save each
    dataset through ``package_patch`` (CKAN 2.12: the save's own hooks see
    and record the change) rather than updating the table directly (2.11)."""
    return tk.check_ckan_version(min_version="2.12")


def package_extras_loader() -> list[Any]:
    """The loader options that fetch the extras of many datasets at once:
    CKAN 2.11 keeps them in the ``package_extra`` table (the ``_extras``
    relationship, one ``selectinload``); CKAN 2.12 in a JSONB column of
    ``package`` itself, loaded with the row."""
    relationship = getattr(model.Package, "_extras", None)
    return [orm.selectinload(relationship)] if relationship is not None else []


def package_extra_values(package_ids: Any, key: str) -> dict[str, Any]:
    """One extra of many datasets, ``{package id: value}`` (those without
    it left out), in one or two queries: CKAN 2.11 reads the
    ``package_extra`` table (``model.PackageExtra``), which CKAN 2.12 no
    longer has (its extras are a column of ``package``)."""
    ids = list(set(package_ids))
    if not ids:
        return {}
    packages = (model.Session.query(model.Package).options(*package_extras_loader())
                .filter(model.Package.id.in_(ids)))
    found = {}
    for package in packages:
        value = (package.extras or {}).get(key)
        if value is not None:
            found[package.id] = value
    return found
