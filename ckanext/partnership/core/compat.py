# -*- coding: utf-8 -*-
"""What differs between the CKAN versions the extension runs on (2.11.6 and
2.12.0, see README, "Supported CKAN versions"), in one place. Code valid on
both is preferred; a difference that cannot be written once is a function
here, named after what CKAN does, with the version that changed it."""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def bulk_actions_save_each_dataset() -> bool:
    """Whether ``bulk_update_public``, ``_private`` and ``_delete`` save each
    dataset through ``package_patch`` (CKAN 2.12: the save's own hooks see
    and record the change) rather than updating the table directly (2.11)."""
    return tk.check_ckan_version(min_version="2.12")
