# -*- coding: utf-8 -*-
"""Findings of the resource checks, told to people: what is wrong, where,
and what to do. The checks store codes and numbers; the words live here,
translatable, so the same report reads in French and in English."""
from __future__ import annotations

from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckanext.partnership.checks.base import bound
from ckanext.partnership.core import language
from ckanext.partnership.core.language import N_

_ = tk._

Finding = dict[str, Any]


def check_title(name: str) -> str:
    return language.label({
        "format": N_("File format"),
        "size": N_("File size"),
        "file": N_("Access to the file"),
        "encoding": N_("Character encoding"),
        "structure": N_("Table structure"),
        "schema": N_("Data standard"),
        "custom_checks": N_("Additional rules of the standard"),
        "data_dictionary": N_("Data dictionary"),
        "personal_data": N_("Personal data"),
        "row_quota": N_("Row quota"),
    }, name, name)


def status_label(status: str) -> str:
    return language.label({
        "success": N_("Passed"),
        "warning": N_("Passed, with remarks"),
        "failure": N_("Failed"),
        "error": N_("Could not be checked"),
        "skipped": N_("Not run"),
        "pending": N_("Being checked"),
    }, status, status)


def _type_label(kind: str) -> str:
    return language.label({
        "date": N_("a date written YYYY-MM-DD"),
        "datetime": N_("a date and time"),
        "number": N_("a number, with a decimal point"),
        "integer": N_("a whole number"),
        "boolean": N_("a yes/no value spelt as the standard says"),
        "year": N_("a year"),
        "geopoint": N_("geographic coordinates"),
        "string": N_("a text in the expected format"),
    }, kind, kind)


def _kind_label(kind: str) -> str:
    return language.label({
        "family_name": N_("family names"),
        "full_name": N_("full names"),
        "first_name": N_("first names"),
        "birth_date": N_("birth dates"),
        "birth_place": N_("places of birth"),
    }, kind, kind)


def _constraint(f: Finding) -> str:
    constraint = f.get("constraint")
    params = dict(f, rule=_rule(f.get("rule"), f.get("rule_total")))
    if constraint == "required":
        return _("%(count)s rows have no value in %(column)s, which is required.") % params
    if constraint == "pattern":
        return _("%(count)s values of %(column)s are not written the expected way.") % params
    if constraint == "enum":
        return _("%(count)s values of %(column)s are not among the allowed values: "
                 "%(rule)s.") % params
    if constraint == "maxLength":
        return _("%(count)s values of %(column)s are too long (at most %(rule)s "
                 "characters).") % params
    if constraint == "minLength":
        return _("%(count)s values of %(column)s are too short (at least %(rule)s "
                 "characters).") % params
    if constraint in ("minimum", "exclusiveMinimum"):
        return _("%(count)s values of %(column)s are below the minimum, %(rule)s.") % params
    if constraint in ("maximum", "exclusiveMaximum"):
        return _("%(count)s values of %(column)s are above the maximum, %(rule)s.") % params
    return _("%(count)s values of %(column)s break the rule %(constraint)s.") % params


def _rule(rule: Any, total: Any = None) -> str:
    if isinstance(rule, list):
        more = ", …" if isinstance(total, int) and total > len(rule) else ""
        return ", ".join(f"« {r} »" for r in rule) + more
    return str(rule)


def _personal(label: Callable[[], str]) -> Callable[[Finding], str]:
    return lambda f: label() % f


_MESSAGES: dict[str, Callable[[Finding], str]] = {
    "html_instead_of_data": lambda f: _("The address returns a web page, not a data file."),
    "unknown_format": lambda f: (_("The format %(format)s is not a known open format.") % f
                                 if f.get("format") else _("The file's format is not given.")),
    "closed_format": lambda f: _("%(format)s is a closed format.") % f,
    "not_machine_readable": lambda f: _("%(format)s is made to be read by people, "
                                        "not by machines.") % f,
    "too_large": lambda f: _("The file is larger than %(limit)s bytes: it was not "
                             "checked.") % f,
    "not_utf8": lambda f: _("The file is not encoded in UTF-8: it looks like "
                            "Windows-1252 (Latin-1), on %(count)s rows.") % f,
    "empty_file": lambda f: _("The file is empty."),
    "binary": lambda f: _("The file is not a text table."),
    "too_many_columns": lambda f: _("The file has %(count)s columns; the portal checks "
                                    "at most %(limit)s: its columns were not "
                                    "checked.") % f,
    "blank_header": lambda f: _("Column %(position)s has no name.") % f,
    "duplicate_header": lambda f: _("Column %(column)s appears twice (again in position "
                                    "%(position)s).") % f,
    "extra_cells": lambda f: _("%(count)s rows have more cells than the header's "
                               "%(expected)s columns.") % f,
    "missing_cells": lambda f: _("%(count)s rows have fewer cells than the header's "
                                 "%(expected)s columns.") % f,
    "blank_row": lambda f: _("%(count)s rows are blank.") % f,
    "malformed": lambda f: _("The file cannot be read beyond row %(row)s.") % dict(
        f, row=(f.get("rows") or ["?"])[0]),
    "no_rows": lambda f: _("The file has a header but no data rows."),
    "delimiter_not_found": lambda f: _("The column separator was not recognised: the "
                                       "header reads as a single column."),
    "renamed_column": lambda f: _("Column %(column)s: the standard calls it "
                                  "%(expected)s.") % f,
    "extra_column": lambda f: _("Column %(column)s is not in the standard.") % f,
    "missing_column": lambda f: _("Column %(column)s of the standard is missing.") % f,
    "undescribed_column": lambda f: _("Column %(column)s is not in the file's data "
                                      "dictionary.") % f,
    "missing_described_column": lambda f: _("Column %(column)s of the data dictionary is "
                                            "missing from the file.") % f,
    "renamed_described_column": lambda f: _("Column %(column)s: the data dictionary calls "
                                            "it %(expected)s.") % f,
    "misplaced_column": lambda f: _("Column %(column)s is in position %(position)s; the "
                                    "standard puts it in position "
                                    "%(expected_position)s.") % f,
    "type": lambda f: _("%(count)s values of %(column)s are not %(expected)s.") % dict(
        f, expected=_type_label(f.get("format") == "email" and "string"
                                or f.get("type", ""))),
    "constraint": _constraint,
    "duplicate_value": lambda f: _("%(count)s values of %(column)s repeat an earlier "
                                   "one; the standard wants them unique.") % f,
    "duplicate_key": lambda f: _("%(count)s rows repeat the key %(column)s of an "
                                 "earlier row.") % f,
    "invalid_siret": lambda f: _("%(count)s SIRET numbers in %(column)s are not valid "
                                 "(14 digits with a check key).") % f,
    "invalid_siren": lambda f: _("%(count)s SIREN numbers in %(column)s are not valid "
                                 "(9 digits with a check key).") % f,
    "one_of_required": lambda f: _("%(count)s rows fill in neither %(first)s nor "
                                   "%(second)s: one of them is required.") % dict(
        f, first=f["columns"][0], second=f["columns"][1]),
    "custom_check_not_run": lambda f: _("The standard's rule %(custom_check)s is not "
                                        "checked by this portal.") % f,
    "schema_unavailable": lambda f: _("The standard could not be loaded (%(reason)s).") % dict(
        f, reason=_fetch_reason(f.get("reason", ""))),
    "email": _personal(lambda: _("%(count)s e-mail addresses in column %(column)s.")),
    "phone": _personal(lambda: _("%(count)s telephone numbers in column %(column)s.")),
    "nir": _personal(lambda: _("%(count)s social security numbers (NIR) in column "
                               "%(column)s.")),
    "iban": _personal(lambda: _("%(count)s bank account numbers (IBAN) in column "
                                "%(column)s.")),
    "column_name": lambda f: _("Column %(column)s seems to hold %(kind)s of people.") % dict(
        f, kind=_kind_label(f.get("kind", ""))),
    "over_quota": lambda f: _("The dataset holds %(count)s rows; the agreement allows "
                              "%(quota)s.") % f,
    "http_error": lambda f: _("The file could not be downloaded (%(reason)s).") % f,
    "timeout": lambda f: _("The address did not answer in time."),
    "unreachable": lambda f: _("The address could not be reached (%(reason)s).") % f,
    "file_missing": lambda f: _("The uploaded file cannot be found on the portal."),
    "internal_error": lambda f: _("The checks stopped on an unexpected problem."),
    "address_refused": lambda f: (
        _("The address is not a web address (http or https): the portal does not "
          "fetch it.") if f.get("reason") == "scheme" else
        _("The address is not a public internet address, or redirects to one: the "
          "portal does not fetch it.")),
    "deadline": lambda f: _("The download took too long: it was stopped."),
    "too_many_redirects": lambda f: _("The address redirects too many times."),
    "check_lost": lambda f: _("The checks could not be completed after %(attempts)s "
                              "attempts: the worker stopped each time.") % f,
}


def _fetch_reason(reason: str) -> str:
    """Why a standard's address could not be fetched, when it was stopped
    on purpose; otherwise the reason as stored (``HTTP 404``...)."""
    return language.label({
        "address_refused": N_("its address is not a public internet address"),
        "deadline": N_("its download took too long"),
        "too_many_redirects": N_("its address redirects too many times"),
        "timeout": N_("its address did not answer in time"),
        "too_large": N_("its file is too large"),
    }, reason, reason)


def _advice(code: str, f: Finding) -> str:
    if code in ("email", "phone", "nir", "iban", "column_name"):
        if f.get("severity") == "warning":
            return _("The standard asks for this column: make sure it only holds "
                     "professional contacts, not private persons.")
        return _("Remove or anonymise these data before publishing (GDPR): the "
                 "agreement only allows anonymised data.")
    return {
        "html_instead_of_data": _("Link to the file itself (its download address), not "
                                  "to the page that presents it."),
        "unknown_format": _("Fill in the format field, for example CSV."),
        "closed_format": _("Publish the data as %(instead)s, an open format.") % f
        if f.get("instead") else "",
        "not_machine_readable": _("Publish the data themselves too, as CSV or JSON."),
        "too_large": _("Split the file, or ask the host to check it."),
        "not_utf8": _("Save the file as « CSV UTF-8 » (in LibreOffice: character set "
                      "Unicode (UTF-8)) and upload it again."),
        "empty_file": _("Upload the file again."),
        "binary": _("Export the table as CSV."),
        "too_many_columns": _("Split the table into files with fewer columns, or ask "
                              "the host to check it."),
        "blank_header": _("Give every column the name the standard uses."),
        "duplicate_header": _("Remove or rename the second column."),
        "extra_cells": _("Put quotes around values that contain the separator."),
        "missing_cells": _("Complete the rows, or put quotes around values that span "
                           "several lines."),
        "blank_row": _("Delete the blank rows."),
        "malformed": _("Look for a quote opened and never closed on that row."),
        "no_rows": _("Normal when there is nothing to publish for the period; "
                     "otherwise add the rows."),
        "delimiter_not_found": _("Separate the columns with commas."),
        "renamed_column": _("Rename the column %(expected)s.") % f
        if f.get("expected") else "",
        "extra_column": _("Remove the column, or publish it in a separate file."),
        "missing_column": _("Add the column, with its name as the standard spells it."),
        "misplaced_column": _("Put the columns in the standard's order."),
        "undescribed_column": _("Describe the column in the resource's data dictionary, "
                                "or remove it from the file."),
        "missing_described_column": _("Add the column to the file, or remove it from the "
                                      "data dictionary."),
        "renamed_described_column": _("Spell the column the same way in the file and in "
                                      "the data dictionary."),
        "type": (_("Expected, for example: %(example)s") % f) if f.get("example") else "",
        "constraint": (_("Expected, for example: %(example)s") % f)
        if f.get("example") else "",
        "duplicate_value": _("Each value must appear once."),
        "invalid_siret": _("Check the numbers on annuaire-entreprises.data.gouv.fr."),
        "invalid_siren": _("Check the numbers on annuaire-entreprises.data.gouv.fr."),
        "custom_check_not_run": _("Check this rule with Validata (validata.fr)."),
        "schema_unavailable": _("Check the standard's address, or choose it from the "
                                "list."),
        "over_quota": _("Split the data across several datasets, or talk to the host."),
        "http_error": _("Check that the address works without logging in."),
        "timeout": _("Check that the address works, then check again."),
        "unreachable": _("Check the address."),
        "file_missing": _("Upload the file again."),
        "internal_error": _("Check again; if it happens again, tell the host."),
        "address_refused": _("Link to a file published on the internet; for an address "
                             "of your own network, ask the host."),
        "deadline": _("Check that the address serves the file quickly, or upload the "
                      "file."),
        "too_many_redirects": _("Link to the file's final address."),
        "check_lost": _("Check again; if it happens again, tell the host."),
    }.get(code, "")


def describe(finding: Finding) -> dict[str, Any]:
    """``{message, advice, rows, more}`` for a page."""
    code = finding.get("code", "")
    render = _MESSAGES.get(code)
    try:
        message = render(finding) if render else code
    except (KeyError, TypeError, IndexError):
        message = code
    rows = list(finding.get("rows") or [])
    count = finding.get("count") or 0
    return {"message": message, "advice": _advice(code, finding), "rows": rows,
            "more": max(0, count - len(rows)) if rows else 0,
            "severity": finding.get("severity", "error")}


def describe_check(check: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings of one check's result told to people, at most
    ``MAX_FINDINGS`` of a code (a report stored before the bound is cut
    here); the last one shown of a code with findings left out says how
    many in ``omitted``."""

    check = bound(check)
    findings = check.get("findings") or []
    told = [dict(describe(f), code=f.get("code"), omitted=0) for f in findings]
    last = {str(f.get("code")): i for i, f in enumerate(findings)}
    for code, entry in (check.get("omitted") or {}).items():
        if code in last and isinstance(entry, dict):
            told[last[code]]["omitted"] = entry.get("findings") or 0
    return told
