# -*- coding: utf-8 -*-
"""What the publication workflow says to people: the title and the finding
of each check, the reasons of a refusal, the status of a request, and the
one message of "complete before public". Only words: no query, no save;
every other module of the package reads its texts here."""
from __future__ import annotations

from typing import Any, Optional, Sequence

import ckan.plugins.toolkit as tk

from ckanext.partnership import metadata, resource_checks
from ckanext.partnership.core import language
from ckanext.partnership.core.language import N_
from ckanext.partnership.domain import publication_rules

_ = tk._


def required_to_publish(fields: Sequence[str] = ()) -> str:
    """The message of "complete before public": alone under each missing
    field (the dataset form shows it there); followed by the labels of the
    missing fields for a whole dataset (a check's finding, a dataset of a
    bulk action)."""
    if not fields:
        return _("Required to publish the dataset")
    return _("Required to publish the dataset ({fields})").format(
        fields=", ".join(metadata.field_label(f) for f in fields))


def status_label(status: str) -> str:
    """A request's status as the pages and messages show it."""
    return language.label({
        publication_rules.PENDING: N_("Waiting for validation"),
        publication_rules.APPROVED: N_("Approved"),
        publication_rules.REFUSED: N_("Refused"),
        publication_rules.CANCELLED: N_("Cancelled"),
    }, status, status)


def check_detail(check: dict[str, Any]) -> str:
    """What a check found, in the user's language."""

    code, status, params = check["code"], check["status"], check.get("params") or {}
    names = ", ".join(
        f"{r['name']} ({_file_status(r.get('status'))})" for r in params.get("resources") or [])
    if code == "metadata":
        if status == publication_rules.FAIL:
            return required_to_publish(params.get("fields") or [])
        return _("Every required metadata field is filled in.")
    if code == "licence":
        if status == publication_rules.FAIL:
            return _("The licence {licence} is not one the agreement allows ({allowed}).").format(
                licence=params.get("license") or _("none"),
                allowed=", ".join(params.get("allowed") or []))
        return _("Licence allowed by the agreement.")
    if code == "resources":
        if status == publication_rules.WARN:
            return _("The dataset has no file.")
        return _("Files: {count}.").format(count=params.get("count"))
    if code == "standard":
        if status == publication_rules.FAIL:
            return _("Files whose checks failed or have not finished: {files}. Open each "
                     "file's report, fix it, and submit again once its checks pass."
                     ).format(files=names)
        if status == publication_rules.WARN:
            return _("Files with warnings: {files}.").format(files=names)
        return _("Every file passes its checks against its standard.")
    if code == "personal_data":
        if status == publication_rules.FAIL:
            return _("Personal data found in: {files}.").format(files=names)
        if status == publication_rules.WARN:
            return _("Possible personal data in columns the standard defines: {files}."
                     ).format(files=names)
        return _("No personal data found.")
    if code == "open_formats":
        if status == publication_rules.FAIL:
            return _("Files in a closed format: {files}.").format(files=names)
        if status == publication_rules.WARN:
            return _("Files in a format that is not machine-readable: {files}.").format(
                files=names)
        return _("Every file is in an open format.")
    return ""


def _file_status(status: Optional[str]) -> str:
    return resource_checks.status_label(status or "pending")


def check_title(code: str) -> str:
    return language.label({
        "metadata": N_("Required metadata"),
        "licence": N_("Licence"),
        "resources": N_("Files"),
        "standard": N_("Checks against the standards"),
        "personal_data": N_("Personal data"),
        "open_formats": N_("Open formats"),
    }, code, code)


def checks_out(checks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Checks as the API returns them: with ``detail`` in the user's language."""
    return [{"code": c["code"], "status": c["status"], "detail": check_detail(c),
             "params": c.get("params") or {}} for c in checks]


def reason_label(code: str) -> str:
    label = language.label({
        "personal_data": N_("Personal data (GDPR)"),
        "intellectual_property": N_("Intellectual property"),
        "licence": N_("Licence"),
        "metadata": N_("Metadata"),
        "standard": N_("Data standard"),
        "quality": N_("Quality"),
        "other": N_("Other"),
    }, code, code)
    article = publication_rules.REASONS.get(code)
    return f"{label} ({article})" if article else label
