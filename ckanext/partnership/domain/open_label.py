# -*- coding: utf-8 -*-
"""The open-data label of a dataset (000 annex 3: the ten Sunlight
criteria), as plain functions of an :class:`Evidence` the CKAN side fills
from what the portal stores; no CKAN import.

Each criterion is ``pass``, ``fail``, ``unknown`` (the portal cannot know)
or ``not_applicable``, with a machine ``reason`` and its ``params`` (the
sentence is written on the CKAN side, in the user's language). A dataset
has the label when no criterion fails and none is unknown; its score is the
number of criteria passed, out of ten. The rules, one function each:

* ``complete`` — whether every record is published cannot be measured:
  ``unknown`` unless declared.
* ``primary`` — ``pass`` when the producer (``author``) is empty or is the
  partner itself (its name or title, compared without case nor accents);
  another producer is ``unknown`` (the partner republishes: only a
  declaration says whether the data is first-hand).
* ``timely`` — from :mod:`freshness`: fresh ``pass``, late ``fail``; the
  frequencies without expectation ``not_applicable``; UNKNOWN or no
  frequency ``unknown`` (the fix is to choose a frequency: not declarable).
* ``durable`` — every file reachable at its latest check ``pass``; one
  unreachable (an error of the ``file`` check) ``fail``; some not checked
  yet ``unknown``; no file ``fail``.
* ``downloadable`` — at least one file and each downloaded by its check
  ``pass``; no file or one not downloaded ``fail``; not checked ``unknown``.
* ``machine_readable`` — ``fail`` when no file is in a machine-readable
  format (only documents: PDF, images, HTML, or a page served instead of
  the data) or when a tabular file's encoding check failed (annex 3: a
  standard format, UTF-8); ``pass`` when a checked file is machine-readable;
  ``unknown`` while the candidates are not checked.
* ``non_discriminatory`` — public and open access (``access_rights``
  PUBLIC or empty) ``pass``; private or restricted ``fail``.
* ``open_standards`` — ``fail`` naming every closed format; ``unknown``
  when a format is unknown; ``pass`` when all are open; no file ``fail``.
* ``open_licence`` — an open licence of the register (Licence Ouverte 2.0,
  ODbL, and the Creative Commons open ones when the register holds them)
  ``pass``; none, restricted or another ``fail``, naming it.
* ``free_of_charge`` — ``fail`` when a fetch answered 401, 402 or 403;
  ``pass`` when every file is an upload served by the portal or a link its
  check downloaded without credentials; ``unknown`` otherwise.

Declarations (by the partner or a validator) settle only the declarable
criteria ``complete``, ``primary`` and ``free_of_charge``, and only where
the portal's own evidence is ``unknown``: measured evidence always wins.
"""
from __future__ import annotations

import dataclasses
import unicodedata
from typing import Any, Callable, Mapping, Optional

from . import freshness as _freshness
from .vocabularies import EU_ACCESS_RIGHT, EU_FREQUENCY

__all__ = ["CRITERIA", "DECLARABLE", "STATUSES", "PASS", "FAIL", "UNKNOWN",
           "NOT_APPLICABLE", "DECLARED_STATUSES", "FileEvidence", "Declaration",
           "Evidence", "Criterion", "Label", "evaluate"]

CRITERIA = ("complete", "primary", "timely", "durable", "downloadable",
            "machine_readable", "non_discriminatory", "open_standards",
            "open_licence", "free_of_charge")
DECLARABLE = ("complete", "primary", "free_of_charge")
PASS, FAIL, UNKNOWN, NOT_APPLICABLE = "pass", "fail", "unknown", "not_applicable"
STATUSES = (PASS, FAIL, UNKNOWN, NOT_APPLICABLE)
#: What a declaration may say; ``unknown`` withdraws the previous one.
DECLARED_STATUSES = (PASS, FAIL, UNKNOWN)

#: The kinds of format the CKAN side classifies each file's into.
OPEN, CLOSED, DOCUMENT, UNKNOWN_FORMAT = "open", "closed", "document", "unknown"

_PAYING = frozenset({401, 402, 403})


@dataclasses.dataclass(frozen=True)
class FileEvidence:
    """One active resource, as its latest check saw it."""
    name: str
    format: str = ""             # normalised (CSV, PDF...), "" when unknown
    kind: str = UNKNOWN_FORMAT   # open | closed | document | unknown
    tabular: bool = False
    upload: bool = False
    checked: bool = False        # a finished check of its current version
    html_instead_of_data: bool = False
    encoding_failed: bool = False
    file_error: Optional[str] = None   # the code of the ``file`` check's error
    http_status: Optional[int] = None  # of a failed fetch, when known


@dataclasses.dataclass(frozen=True)
class Declaration:
    status: str
    by: str
    at: str
    comment: str = ""


@dataclasses.dataclass(frozen=True)
class Evidence:
    freshness: _freshness.Freshness
    frequency: Optional[str] = None
    files: tuple[FileEvidence, ...] = ()
    licence_id: Optional[str] = None
    licence_title: Optional[str] = None
    licence_open: bool = False
    private: bool = False
    access_rights: Optional[str] = None
    producer: Optional[str] = None
    partner_names: tuple[str, ...] = ()
    declarations: Mapping[str, Declaration] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Criterion:
    code: str
    status: str
    reason: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class Label:
    granted: bool
    score: int
    criteria: tuple[Criterion, ...]


def _names(files: list[FileEvidence]) -> list[str]:
    return [f.name for f in files]


def _fold(text: Optional[str]) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def complete(e: Evidence) -> Criterion:
    return Criterion("complete", UNKNOWN, "completeness_not_measurable")


def primary(e: Evidence) -> Criterion:
    producer = _fold(e.producer)
    if not producer or producer in {_fold(n) for n in e.partner_names if n}:
        return Criterion("primary", PASS, "produced_by_partner")
    return Criterion("primary", UNKNOWN, "other_producer", {"producer": e.producer})


def timely(e: Evidence) -> Criterion:
    f = e.freshness
    if f.state == _freshness.FRESH:
        return Criterion("timely", PASS, "fresh", {"expected_by": f.expected_by})
    if f.state == _freshness.LATE:
        if f.expected_by is None:
            return Criterion("timely", FAIL, "never_updated")
        return Criterion("timely", FAIL, "late",
                         {"days_late": f.days_late, "expected_by": f.expected_by})
    if not e.frequency or e.frequency == EU_FREQUENCY + "UNKNOWN":
        return Criterion("timely", UNKNOWN, "no_frequency")
    return Criterion("timely", NOT_APPLICABLE, "no_expectation", {"frequency": e.frequency})


def durable(e: Evidence) -> Criterion:
    if not e.files:
        return Criterion("durable", FAIL, "no_file")
    broken = [f for f in e.files if f.file_error]
    if broken:
        return Criterion("durable", FAIL, "unreachable", {"files": _names(broken)})
    pending = [f for f in e.files if not f.checked]
    if pending:
        return Criterion("durable", UNKNOWN, "not_checked", {"files": _names(pending)})
    return Criterion("durable", PASS, "reachable")


def downloadable(e: Evidence) -> Criterion:
    if not e.files:
        return Criterion("downloadable", FAIL, "no_file")
    broken = [f for f in e.files if f.file_error]
    if broken:
        return Criterion("downloadable", FAIL, "not_downloaded", {"files": _names(broken)})
    pending = [f for f in e.files if not f.checked]
    if pending:
        return Criterion("downloadable", UNKNOWN, "not_checked", {"files": _names(pending)})
    return Criterion("downloadable", PASS, "downloaded")


def machine_readable(e: Evidence) -> Criterion:
    if not e.files:
        return Criterion("machine_readable", FAIL, "no_file")
    badly_encoded = [f for f in e.files if f.tabular and f.encoding_failed]
    if badly_encoded:
        return Criterion("machine_readable", FAIL, "encoding",
                         {"files": _names(badly_encoded)})
    candidates = [f for f in e.files
                  if f.kind in (OPEN, CLOSED) and not f.html_instead_of_data]
    if any(f.checked for f in candidates):
        return Criterion("machine_readable", PASS, "machine_readable",
                         {"formats": sorted({f.format for f in candidates if f.checked})})
    if candidates or any(f.kind == UNKNOWN_FORMAT and not f.checked for f in e.files):
        return Criterion("machine_readable", UNKNOWN, "not_checked",
                         {"files": _names([f for f in e.files if not f.checked])})
    return Criterion("machine_readable", FAIL, "documents_only",
                     {"formats": sorted({f.format or "?" for f in e.files})})


def non_discriminatory(e: Evidence) -> Criterion:
    if e.private:
        return Criterion("non_discriminatory", FAIL, "private")
    if e.access_rights and e.access_rights != EU_ACCESS_RIGHT + "PUBLIC":
        return Criterion("non_discriminatory", FAIL, "restricted")
    return Criterion("non_discriminatory", PASS, "public")


def open_standards(e: Evidence) -> Criterion:
    if not e.files:
        return Criterion("open_standards", FAIL, "no_file")
    closed = sorted({f.format for f in e.files if f.kind == CLOSED})
    if closed:
        return Criterion("open_standards", FAIL, "closed_formats", {"formats": closed})
    unknown = [f for f in e.files if f.kind == UNKNOWN_FORMAT]
    if unknown:
        return Criterion("open_standards", UNKNOWN, "unknown_formats",
                         {"files": _names(unknown)})
    return Criterion("open_standards", PASS, "open_formats",
                     {"formats": sorted({f.format for f in e.files})})


def open_licence(e: Evidence) -> Criterion:
    if not e.licence_id or e.licence_id == "notspecified":
        return Criterion("open_licence", FAIL, "no_licence")
    params = {"licence": e.licence_title or e.licence_id}
    if e.licence_open:
        return Criterion("open_licence", PASS, "open_licence", params)
    return Criterion("open_licence", FAIL, "closed_licence", params)


def free_of_charge(e: Evidence) -> Criterion:
    paying = [f for f in e.files if f.http_status in _PAYING]
    if paying:
        return Criterion("free_of_charge", FAIL, "credentials_required",
                         {"files": _names(paying),
                          "statuses": sorted({f.http_status for f in paying})})
    if e.files and all(f.upload or (f.checked and not f.file_error) for f in e.files):
        return Criterion("free_of_charge", PASS, "served_freely")
    return Criterion("free_of_charge", UNKNOWN, "charge_not_measurable")


_RULES: tuple[Callable[[Evidence], Criterion], ...] = (
    complete, primary, timely, durable, downloadable, machine_readable,
    non_discriminatory, open_standards, open_licence, free_of_charge)


def _declared(measured: Criterion, declaration: Optional[Declaration]) -> Criterion:
    if (measured.status != UNKNOWN or measured.code not in DECLARABLE
            or declaration is None or declaration.status not in (PASS, FAIL)):
        return measured
    return Criterion(measured.code, declaration.status, "declared",
                     {"by": declaration.by, "at": declaration.at,
                      "comment": declaration.comment, "measured": measured.reason})


def evaluate(evidence: Evidence) -> Label:
    """The ten criteria in :data:`CRITERIA` order, the label and the score."""
    criteria = tuple(_declared(rule(evidence), evidence.declarations.get(rule.__name__))
                     for rule in _RULES)
    return Label(granted=all(c.status in (PASS, NOT_APPLICABLE) for c in criteria),
                 score=sum(c.status == PASS for c in criteria), criteria=criteria)
