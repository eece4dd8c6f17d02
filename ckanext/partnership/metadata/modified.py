# -*- coding: utf-8 -*-
"""Replacing a file proposes to update the dataset's ``modified``.

``modified`` is the date the data itself was last updated (the « Date de
mise à jour » 000 §16.3 asks every dataset to show). A new file is most
often a new version of the data, so the resource form offers, ticked, to
set it to today; a script asks the same with ``update_modified: true`` on
``resource_create``, ``resource_update`` or ``resource_patch``. The date
moves only when the file did: a new upload, a cleared upload or another
address; editing a file's name or description leaves it alone.

The dataset is saved once: the resource action marks its context, and the
``package_update`` it calls sets ``modified`` before CKAN validates and
stores the dataset, so one revision, one activity and one transaction carry
both changes.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Any, Optional
from urllib.parse import urlparse

import ckan.plugins.toolkit as tk

_ = tk._

#: The parameter of the resource actions (and the form's checkbox).
PARAMETER = "update_modified"
#: What a resource action leaves in its context for package_update.
_CONTEXT_KEY = "partnership_update_modified"


def requested(data_dict: dict[str, Any]) -> bool:
    """Whether the caller asks for ``modified`` to follow the file, the
    parameter taken out of ``data_dict`` (it is not a resource field). A
    form's checkbox (``on``) and JSON booleans are understood; anything
    else is a 409 naming the parameter."""
    value = data_dict.pop(PARAMETER, None)
    if isinstance(value, list) and value:  # a form field sent twice
        value = value[-1]
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE:
        return False
    raise tk.ValidationError({PARAMETER: [_("Must be true or false")]})


_TRUE = frozenset({"true", "on", "yes", "1", "t", "y"})
_FALSE = frozenset({"false", "off", "no", "0", "f", "n", ""})


def _last_segment(url: Optional[str]) -> str:
    return os.path.basename(urlparse(url or "").path)


def file_changed(stored: Optional[Any], data_dict: dict[str, Any]) -> bool:
    """Whether saving ``data_dict`` over the ``stored`` resource (None for
    a new one) changes its file: an upload sent or cleared, or another
    address. An uploaded file's address is stored as its name and shown as
    a download URL ending with it, so both spellings are the same file."""
    if stored is None:
        return bool(data_dict.get("url") or data_dict.get("upload"))
    upload = data_dict.get("upload")
    if upload is not None and getattr(upload, "filename", None):
        return True
    if tk.asbool(data_dict.get("clear_upload") or False):
        return True
    if "url" not in data_dict:
        return False
    new = (data_dict.get("url") or "").strip()
    old = (stored.url or "").strip()
    if stored.url_type == "upload" and data_dict.get("url_type", "upload") == "upload":
        return _last_segment(new) != _last_segment(old)
    return new != old


def mark(context: dict[str, Any]) -> None:
    """The ``package_update`` this resource action is about to call sets
    ``modified`` to today."""
    context[_CONTEXT_KEY] = True


def apply(context: dict[str, Any], data_dict: dict[str, Any]) -> None:
    """In ``package_update``: today's date as ``modified`` when the resource
    action that called it marked the context (the mark is used once)."""
    if context.pop(_CONTEXT_KEY, False):
        data_dict["modified"] = today().isoformat()


def today() -> dt.date:
    """The day a file change dates the data, as ``issued`` is dated."""
    return dt.date.today()
