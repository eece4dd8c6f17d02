# -*- coding: utf-8 -*-
"""The words of the monthly compliance digest (:mod:`.digests`), in the
language being written (``notify`` writes in the portal's), with absolute
links from ``ckan.site_url``."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk

from . import texts

_ = tk._


def dataset_url(name: str) -> str:
    return tk.url_for("dataset.read", id=name, _external=True)


def label_url(name: str) -> str:
    """The dataset's page of the ten criteria."""
    return tk.url_for("partnership.dataset_label", id=name, _external=True)


def compliance_url(organization_name: str) -> str:
    """The partner's compliance page. Built from ``ckan.site_url`` by its
    path rather than by ``url_for``: the page belongs to the per-partner
    pages, whose route the URL table may not hold yet."""
    site = (tk.config.get("ckan.site_url") or "").rstrip("/")
    return f"{site}/organization/compliance/{organization_name}"


def _late_line(entry: Any) -> str:
    if entry.days_late is None:
        line = _("- {title}, late: no update has ever been shown").format(title=entry.title)
    else:
        line = tk.ungettext("- %(title)s, late by %(num)d day",
                            "- %(title)s, late by %(num)d days",
                            entry.days_late, title=entry.title)
    return f"{line}\n  {dataset_url(entry.name)}"


def _failing_line(entry: Any) -> str:
    criteria = ", ".join(texts.title(code) for code in entry.failing)
    return _("- {title}: {criteria}").format(title=entry.title, criteria=criteria) + (
        f"\n  {label_url(entry.name)}")


def _more(shown: int, total: int, url: str) -> list[str]:
    if total <= shown:
        return []
    return [tk.ungettext("and %(num)d more: %(url)s", "and %(num)d more: %(url)s",
                         total - shown, url=url)]


def digest_mail(digest: Any, today: dt.date) -> tuple[str, str]:
    """Subject and body of a partner's digest."""
    page = compliance_url(digest.organization_name)
    subject = _("[{site}] Compliance of your data: {late}, {criteria}").format(
        site=tk.config.get("ckan.site_title") or "",
        late=tk.ungettext("%(num)d late", "%(num)d late", digest.late_count),
        criteria=tk.ungettext("%(num)d label criterion to review",
                              "%(num)d label criteria to review", digest.criteria_count))
    parts = [_("The monthly review of the public datasets of {partner}, on {day}: the "
               "agreement asks that each is updated as often as its frequency promises "
               "and meets the ten criteria of the open-data label.").format(
        partner=digest.partner, day=texts.day(today))]
    if digest.late_count:
        parts.append("\n".join(
            [tk.ungettext("Late dataset (%(num)d):", "Late datasets (%(num)d):",
                          digest.late_count)]
            + [_late_line(e) for e in digest.late]
            + _more(len(digest.late), digest.late_count, page)))
    if digest.failing_count:
        parts.append("\n".join(
            [tk.ungettext("Dataset failing a criterion of the open-data label (%(num)d):",
                          "Datasets failing a criterion of the open-data label (%(num)d):",
                          digest.failing_count)]
            + [_failing_line(e) for e in digest.failing]
            + _more(len(digest.failing), digest.failing_count, page)))
    parts.append(_("Every figure of {partner}: {url}").format(partner=digest.partner, url=page))
    parts.append(_("This digest is sent once a month while a dataset is late or fails a "
                   "criterion of the label."))
    return subject, "\n\n".join(parts) + "\n"
