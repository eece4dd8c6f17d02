# -*- coding: utf-8 -*-
"""What every page shares: the action context of the signed-in user, the
errors of a refused action shown as flash messages."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def action_context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def flash_errors(error: tk.ValidationError) -> None:
    for messages in error.error_dict.values():
        for message in messages if isinstance(messages, list) else [messages]:
            tk.h.flash_error(str(message))
