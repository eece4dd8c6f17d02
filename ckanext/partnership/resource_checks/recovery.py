# -*- coding: utf-8 -*-
"""The resource checks' part of ``ckan partnership notify``: the checks
whose job was lost are queued again."""
from __future__ import annotations

from typing import Iterator

from ckanext.partnership.model import locks

from .jobs import recover, recovery_lines


def recover_lost() -> Iterator[str]:
    """Queue again the resource checks whose job was lost, give up those
    tried too often; skipped while ``ckan partnership check`` does it. A
    line per check; raises while Redis is down (the next run tries again)."""
    with locks.held("check") as mine:
        if not mine:
            return
        yield from recovery_lines(recover())
