# -*- coding: utf-8 -*-
"""How a writing action ends: CKAN's ``defer_commit`` convention, in one
place."""
from __future__ import annotations

import contextlib
from typing import Iterator

import ckan.model as model
from ckan.types import Context


@contextlib.contextmanager
def writing(context: Context) -> Iterator[None]:
    """The writes of an action: committed at the end of the block, unless
    the caller owns the transaction (``context["defer_commit"]``, as in
    CKAN's own actions): then they are only flushed (ids given, constraints
    checked) and the caller commits or rolls back the whole.

    An error inside the block rolls the transaction back and is raised
    again; with ``defer_commit`` it is only raised again: the caller
    decides."""
    deferred = bool(context.get("defer_commit"))
    try:
        yield
        if deferred:
            model.Session.flush()
        else:
            model.repo.commit()
    except Exception:
        if not deferred:
            model.Session.rollback()
        raise
