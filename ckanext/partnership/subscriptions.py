# -*- coding: utf-8 -*-
"""What reacts to what, in one place (as ``ckanext/activity/subscriptions.py``
does): the signals the extension listens to, and the work that waits for the
commit of the transaction that asked for it."""
from __future__ import annotations

from typing import Any

from ckanext.partnership import publication, resource_checks
from ckanext.partnership.core import mail


def get_subscriptions() -> dict[Any, list[Any]]:
    """Signal → receivers, connected by CKAN (``ISignal``) in the web
    processes and the workers alike."""
    return {
        # a file's checks are stored: a published dataset that now fails is flagged
        resource_checks.checked: [publication.flag_after_check],
    }


def listen_after_commit() -> None:
    """Work handed over during a transaction and done once it commits,
    forgotten if it rolls back (``core.aftercommit``)."""
    resource_checks.listen()  # a changed file: its check job is queued
    mail.listen()  # a mail: sent
