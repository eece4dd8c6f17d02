# -*- coding: utf-8 -*-
"""What every page shares: the action context of the signed-in user, the
errors of a refused action shown as flash messages, the window of a
paginated list."""
from __future__ import annotations

from typing import Any, Sequence

import ckan.plugins.toolkit as tk
from ckan.lib.pagination import Page

from ckanext.partnership.domain import inputs


def action_context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def flash_errors(error: tk.ValidationError) -> None:
    for messages in error.error_dict.values():
        for message in messages if isinstance(messages, list) else [messages]:
            tk.h.flash_error(str(message))


def page_window(size: int = inputs.PAGE_SIZE) -> tuple[int, int, int]:
    """(page, limit, offset) of the list page asked for by ``?page=``."""
    page = inputs.page_number(tk.request.args.get("page"))
    limit, offset = inputs.page_window(page, size)
    return page, limit, offset


def pager(rows: Sequence[Any], count: int, page: int,
          size: int = inputs.PAGE_SIZE) -> Page:
    """CKAN's pager of one page of ``count`` rows (``rows``: that page's,
    already fetched); the links keep the page's other arguments.
    ``{{ page.pager() }}`` in the template draws them."""
    args = {k: v for k, v in tk.request.args.items() if k != "page"}

    def url(page: int = 1, **_kw: Any) -> str:
        return tk.h.url_for(tk.request.endpoint, **(tk.request.view_args or {}),
                            **args, page=page)

    return Page(collection=list(rows), page=page, items_per_page=size, item_count=count,
                presliced_list=True, url=url)
