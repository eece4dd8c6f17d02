# -*- coding: utf-8 -*-
"""``ckan partnership notify``, the daily run: each capability's step in
turn. Safe to run every hour: each reminder, escalation, digest and ending
is recorded once (``partnership_event``).

- the agreements' calendar (:mod:`ckanext.partnership.agreements`):
  reminders of their deadlines, the end of those whose day has come and,
  by their end policy, the withdrawal of the partner's datasets
  (:func:`ckanext.partnership.publication.withdraw_ended`), done completely
  or tried again at the next run;
- the resource checks whose job was lost, queued again
  (:func:`ckanext.partnership.resource_checks.recover_lost`);
- the validation queue's deadlines (a reminder to the validators 12 hours
  before, an escalation to the host's admins once passed) and the flags no
  mail told yet (:mod:`ckanext.partnership.publication`);
- the partners' answers to their users (a reminder 12 hours before a
  thread's deadline, a daily digest of the overdue ones,
  :mod:`ckanext.partnership.discussions`);
- the month's API calls counted in Redis, moved to PostgreSQL
  (:func:`ckanext.partnership.compliance.persist_api_calls`), then the
  quotas at 80 % of their limit told to the partner's publisher and the
  validators, once per quota and period
  (:func:`ckanext.partnership.compliance.quota_alerts`);
- each partner's monthly compliance digest to its publisher: its late
  datasets and those failing a criterion of the open-data label
  (:mod:`ckanext.partnership.compliance`);
- each partner's figures of freshness and the label for the month
  (:func:`ckanext.partnership.compliance.record_month`), after the store's
  refresh.

A step that fails (a mail server, Solr or Redis down) is rolled back and
left for the next run; the others go on."""
from __future__ import annotations

import datetime as dt
import functools
import logging
from typing import Any, Callable, Iterable, Iterator

from flask_babel import force_locale

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership import (agreements, compliance, discussions, publication,
                                 resource_checks)
from ckanext.partnership import model as pmodel

log = logging.getLogger(__name__)


def _attempt(done: list[str], failures: list[str] | None, name: str,
             step: Callable[[], Iterable[str]], what: str | None = None) -> None:
    """Run one step, its lines added to ``done``; one that fails is rolled
    back, logged (as ``what``, default ``name``) and told in ``failures``."""
    try:
        done.extend(step())
    except Exception as error:  # left for the next run
        model.Session.rollback()
        log.exception("notify: %s", what or name)
        if failures is not None:
            failures.append(f"{name}: failed: {error}")


def _agreement(agreement: Any, today: dt.date) -> Iterator[str]:
    """An agreement's reminders and end; then, once ended, its end policy."""
    yield from agreements.calendar_step(agreement, today)
    end = agreements.end_reached(agreement, today)
    if end is not None and agreement.end_policy == "withdraw":
        yield from publication.withdraw_ended(agreement, end)


def _api_calls() -> list[str]:
    """The API calls counted in Redis, moved to PostgreSQL: bookkeeping,
    logged, not one of the run's lines."""
    compliance.persist_api_calls()
    return []


def run(today: dt.date, failures: list[str] | None = None,
        now: dt.datetime | None = None) -> list[str]:
    """Send the reminders due ``today`` and end the agreements whose day has
    come; remind of the validation queue's and the comment threads'
    deadlines at ``now``, and send the day's digest of overdue threads;
    queue again the checks whose job was lost; return a line per thing
    done. An agreement that fails (say, mail cannot go) is left for the
    next run, its line added to ``failures``."""
    # Mail goes out in the portal's language (run() is called inside a
    # request, the CLI's own when run from cron).
    with force_locale(tk.config.get("ckan.locale_default") or "en"):
        done: list[str] = []
        for agreement in agreements.followed_agreements():
            # one agreement's trouble must not stop the others
            reference = agreement.reference
            _attempt(done, failures, reference, lambda: _agreement(agreement, today),
                     what=f"agreement {reference}")
        _attempt(done, failures, "resource checks", resource_checks.recover_lost)
        _attempt(done, failures, "compliance", compliance.refresh_stale)
        at = now or pmodel.now()
        for name, step in (
                ("publication", lambda: publication.queue_reminders(at)),
                ("publication", publication.untold_flags),
                ("comments", lambda: discussions.comment_reminders(at)),
                ("comments", lambda: discussions.comment_digests(at)),
                ("publishers", agreements.report_changes),
                ("api calls", _api_calls),
                ("quotas", lambda: compliance.quota_alerts(today))):
            _attempt(done, failures, name, step)
        # after the refresh of the store: this month's figures of each partner
        _attempt(done, failures, "compliance months", lambda: compliance.record_month(today))
        _compliance_digests(done, failures, today)
        return done


def _compliance_digests(done: list[str], failures: list[str] | None,
                        today: dt.date) -> None:
    """The month's compliance digests: gathered for every partner at once,
    then sent one partner at a time, so that one failing (a refused
    address, a crash) leaves the others be."""
    digests: list[compliance.Digest] = []

    def gather() -> list[str]:
        digests.extend(compliance.monthly_digests(today))
        return []

    _attempt(done, failures, "compliance digests", gather)
    for digest in digests:
        _attempt(done, failures, digest.organization_name,
                 functools.partial(compliance.send_digest, digest, today),
                 what=f"compliance digest of {digest.organization_name}")
