# -*- coding: utf-8 -*-
"""What reacts to what, in one place (as ``ckanext/activity/subscriptions.py``
does): the signals the extension listens to, what follows a dataset's save
before its commit, and the work that waits for the commit of the
transaction that asked for it."""
from __future__ import annotations

from typing import Any

from ckanext.partnership import compliance, metadata, publication, resource_checks
from ckanext.partnership.core import mail


def get_subscriptions() -> dict[Any, list[Any]]:
    """Signal → receivers, connected by CKAN (``ISignal``) in the web
    processes and the workers alike."""
    return {
        # a file's checks are stored: a published dataset that now fails is flagged
        # ... and the dataset's freshness and label follow its new report
        resource_checks.checked: [publication.flag_after_check, compliance.refresh_after_check],
    }


def dataset_shown(context: Any, pkg_dict: dict[str, Any]) -> None:
    """After package_show: what :func:`datasets_read` adds, except to the
    guards' own read of what CKAN stores (they read only that)."""
    if not context.get(publication.STORED_READ):
        datasets_read(pkg_dict)


def datasets_read(*pkg_dicts: dict[str, Any]) -> None:
    """What package_show and package_search add to the datasets they return:
    the fields harvesters read, each file's check status (one query)."""
    for pkg_dict in pkg_dicts:
        metadata.add_harvest_fields(pkg_dict)
    resource_checks.add_check_status(*pkg_dicts)


def dataset_saved(context: Any, pkg_dict: dict[str, Any], created: bool) -> None:
    """After package_create/update stored a dataset, before the commit (a
    refusal raises and rolls the whole save back). The guards that read the
    stored dataset back share one read of it."""
    with publication.one_read_per_save():
        publication.guard_stored(context, pkg_dict["id"])  # visibility: what was stored
        publication.check_publishable(pkg_dict)  # complete before public
        publication.record_direct_publication(context, pkg_dict)  # autonomous or validator
        resource_checks.queue_changed(pkg_dict["id"])  # changed files: checked again
        if not created:
            publication.flag_if_failing(pkg_dict["id"])  # published, files now failing
        compliance.refresh(pkg_dict["id"])  # its freshness and label, for the lists


def listen_after_commit() -> None:
    """Work handed over during a transaction and done once it commits,
    forgotten if it rolls back (``core.aftercommit``)."""
    resource_checks.listen()  # a changed file: its check job is queued
    mail.listen()  # a mail: sent
