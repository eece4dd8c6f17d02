# -*- coding: utf-8 -*-
"""The open-data label's ten criteria as plain functions, without CKAN or a
database: each rule's pass, fail, unknown and not applicable."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from ckanext.partnership.domain import open_label as ol
from ckanext.partnership.domain.freshness import Freshness
from ckanext.partnership.domain.vocabularies import EU_ACCESS_RIGHT, EU_FREQUENCY

D = dt.date(2026, 3, 10)
FRESH = Freshness("fresh", D, D, None)
CSV = ol.FileEvidence("data.csv", "CSV", "open", tabular=True, upload=True, checked=True)


def evidence(**changes):
    base = ol.Evidence(freshness=FRESH, frequency=EU_FREQUENCY + "MONTHLY", files=(CSV,),
                       licence_id="lov2", licence_title="Licence Ouverte 2.0",
                       licence_open=True, access_rights=EU_ACCESS_RIGHT + "PUBLIC",
                       producer="", partner_names=("ville-de-lyon", "Ville de Lyon"))
    return dataclasses.replace(base, **changes)


def link(name="remote.csv", **changes):
    return dataclasses.replace(CSV, name=name, upload=False, **changes)


def criterion(code, **changes):
    found = {c.code: c for c in ol.evaluate(evidence(**changes)).criteria}[code]
    return found.status, found.reason, found.params


def test_the_ten_codes_in_order():
    assert ol.CRITERIA == ("complete", "primary", "timely", "durable", "downloadable",
                           "machine_readable", "non_discriminatory", "open_standards",
                           "open_licence", "free_of_charge")
    assert [c.code for c in ol.evaluate(evidence()).criteria] == list(ol.CRITERIA)


def test_complete_is_unknown_until_declared():
    assert criterion("complete")[:2] == ("unknown", "completeness_not_measurable")
    declared = {"complete": ol.Declaration("pass", "alice", "2026-03-01T10:00:00", "all")}
    status, reason, params = criterion("complete", declarations=declared)
    assert (status, reason, params["by"], params["comment"]) == ("pass", "declared", "alice", "all")
    declared = {"complete": ol.Declaration("fail", "bob", "2026-03-01T10:00:00")}
    assert criterion("complete", declarations=declared)[0] == "fail"


@pytest.mark.parametrize("producer, status", [
    ("", "pass"), (None, "pass"), ("Ville de Lyon", "pass"), ("VILLE DE LYON", "pass"),
    ("  ville   de lyon ", "pass"), ("ville-de-lyon", "pass"),
    ("Ville de Lyôn", "pass"),  # accents do not count
    ("INSEE", "unknown"), ("Métropole de Lyon", "unknown"),
])
def test_primary_when_the_partner_produced_it(producer, status):
    found = criterion("primary", producer=producer)
    assert found[0] == status
    if status == "unknown":
        assert found[1:] == ("other_producer", {"producer": producer})


def test_primary_declared_for_another_producer_only():
    declared = {"primary": ol.Declaration("fail", "v", "2026-01-01")}
    assert criterion("primary", producer="INSEE", declarations=declared)[:2] == ("fail", "declared")
    # the portal measured pass: a declaration does not change it
    assert criterion("primary", producer="", declarations=declared)[:2] == \
        ("pass", "produced_by_partner")


@pytest.mark.parametrize("fresh, frequency, status, reason", [
    (FRESH, EU_FREQUENCY + "MONTHLY", "pass", "fresh"),
    (Freshness("late", D, D, 12), EU_FREQUENCY + "MONTHLY", "fail", "late"),
    (Freshness("late", None, None, None), EU_FREQUENCY + "MONTHLY", "fail", "never_updated"),
    (Freshness("not_applicable", D, None, None), EU_FREQUENCY + "AS_NEEDED",
     "not_applicable", "no_expectation"),
    (Freshness("not_applicable", D, None, None), EU_FREQUENCY + "IRREG",
     "not_applicable", "no_expectation"),
    (Freshness("not_applicable", D, None, None), EU_FREQUENCY + "UNKNOWN",
     "unknown", "no_frequency"),
    (Freshness("not_applicable", D, None, None), None, "unknown", "no_frequency"),
])
def test_timely_follows_freshness(fresh, frequency, status, reason):
    assert criterion("timely", freshness=fresh, frequency=frequency)[:2] == (status, reason)


def test_timely_late_says_by_how_much_and_is_not_declarable():
    late = Freshness("late", D, D, 12)
    assert criterion("timely", freshness=late)[2] == {"days_late": 12, "expected_by": D}
    declared = {"timely": ol.Declaration("pass", "v", "2026-01-01")}
    assert criterion("timely", freshness=Freshness("not_applicable", D, None, None),
                     frequency=None, declarations=declared)[0] == "unknown"


@pytest.mark.parametrize("code, good", [("durable", "reachable"),
                                        ("downloadable", "downloaded")])
def test_files_reached_and_downloaded(code, good):
    assert criterion(code)[:2] == ("pass", good)
    assert criterion(code, files=(CSV, link(checked=True)))[:2] == ("pass", good)
    assert criterion(code, files=())[:2] == ("fail", "no_file")
    broken = link("gone.csv", file_error="http_error", http_status=404)
    status, _, params = criterion(code, files=(CSV, broken, link("pending.csv", checked=False)))
    assert (status, params) == ("fail", {"files": ["gone.csv"]})
    status, reason, params = criterion(code, files=(CSV, link("pending.csv", checked=False)))
    assert (status, reason, params) == ("unknown", "not_checked", {"files": ["pending.csv"]})


def test_machine_readable():
    pdf = ol.FileEvidence("report.pdf", "PDF", "document", checked=True)
    html = link("page.csv", html_instead_of_data=True)
    xls = ol.FileEvidence("t.xls", "XLS", "closed", checked=True)
    assert criterion("machine_readable")[:2] == ("pass", "machine_readable")
    assert criterion("machine_readable", files=(pdf, CSV))[0] == "pass"
    assert criterion("machine_readable", files=(xls,))[0] == "pass"  # closed, yet readable
    assert criterion("machine_readable", files=(pdf,))[:3] == \
        ("fail", "documents_only", {"formats": ["PDF"]})
    assert criterion("machine_readable", files=(pdf, html))[0] == "fail"
    assert criterion("machine_readable", files=())[:2] == ("fail", "no_file")
    bad = dataclasses.replace(CSV, name="latin1.csv", encoding_failed=True)
    assert criterion("machine_readable", files=(bad, xls))[:3] == \
        ("fail", "encoding", {"files": ["latin1.csv"]})
    pending = link("p.csv", checked=False)
    assert criterion("machine_readable", files=(pdf, pending))[:2] == ("unknown", "not_checked")
    unknown = ol.FileEvidence("x", "", "unknown", checked=False)
    assert criterion("machine_readable", files=(pdf, unknown))[0] == "unknown"


@pytest.mark.parametrize("private, access, status, reason", [
    (False, EU_ACCESS_RIGHT + "PUBLIC", "pass", "public"),
    (False, None, "pass", "public"),
    (False, "", "pass", "public"),
    (True, EU_ACCESS_RIGHT + "PUBLIC", "fail", "private"),
    (False, EU_ACCESS_RIGHT + "RESTRICTED", "fail", "restricted"),
])
def test_non_discriminatory(private, access, status, reason):
    assert criterion("non_discriminatory", private=private, access_rights=access)[:2] == \
        (status, reason)


def test_open_standards():
    xls = ol.FileEvidence("t.xls", "XLS", "closed", checked=True)
    docx = ol.FileEvidence("n.docx", "DOCX", "closed", checked=True)
    pdf = ol.FileEvidence("r.pdf", "PDF", "document", checked=True)
    odd = ol.FileEvidence("odd.xyz", "XYZ", "unknown", checked=True)
    assert criterion("open_standards", files=(CSV, pdf))[:3] == \
        ("pass", "open_formats", {"formats": ["CSV", "PDF"]})
    assert criterion("open_standards", files=(CSV, xls, docx, odd))[:3] == \
        ("fail", "closed_formats", {"formats": ["DOCX", "XLS"]})
    assert criterion("open_standards", files=(CSV, odd))[:3] == \
        ("unknown", "unknown_formats", {"files": ["odd.xyz"]})
    assert criterion("open_standards", files=())[:2] == ("fail", "no_file")


@pytest.mark.parametrize("licence, title, is_open, status, reason", [
    ("lov2", "Licence Ouverte 2.0", True, "pass", "open_licence"),
    ("odc-odbl", "ODbL", True, "pass", "open_licence"),
    ("other-closed", "Accès restreint", False, "fail", "closed_licence"),
    ("cc-nc", "CC BY-NC", False, "fail", "closed_licence"),
    (None, None, False, "fail", "no_licence"),
    ("", None, False, "fail", "no_licence"),
    ("notspecified", "Licence not specified", True, "fail", "no_licence"),
])
def test_open_licence(licence, title, is_open, status, reason):
    found = criterion("open_licence", licence_id=licence, licence_title=title,
                      licence_open=is_open)
    assert found[:2] == (status, reason)
    if reason != "no_licence":
        assert found[2] == {"licence": title}


def test_free_of_charge():
    assert criterion("free_of_charge")[:2] == ("pass", "served_freely")
    assert criterion("free_of_charge", files=(CSV, link(checked=True)))[0] == "pass"
    for status in (401, 402, 403):
        paying = link("paid.csv", file_error="http_error", http_status=status)
        assert criterion("free_of_charge", files=(CSV, paying))[:3] == \
            ("fail", "credentials_required", {"files": ["paid.csv"], "statuses": [status]})
    gone = link("gone.csv", file_error="http_error", http_status=404)
    assert criterion("free_of_charge", files=(CSV, gone))[:2] == ("unknown", "charge_not_measurable")
    assert criterion("free_of_charge", files=(link(checked=False),))[0] == "unknown"
    assert criterion("free_of_charge", files=())[0] == "unknown"
    declared = {"free_of_charge": ol.Declaration("pass", "v", "2026-01-01")}
    assert criterion("free_of_charge", files=(link(checked=False),),
                     declarations=declared)[:2] == ("pass", "declared")
    # measured evidence wins over a declaration
    paying = link("paid.csv", file_error="http_error", http_status=402)
    assert criterion("free_of_charge", files=(paying,), declarations=declared)[0] == "fail"


def test_a_withdrawn_declaration_leaves_the_measure():
    declared = {"complete": ol.Declaration("unknown", "v", "2026-01-01")}
    assert criterion("complete", declarations=declared)[:2] == \
        ("unknown", "completeness_not_measurable")


def test_declarations_only_on_declarable_criteria():
    declared = {code: ol.Declaration("pass", "v", "2026-01-01") for code in ol.CRITERIA}
    found = {c.code: c for c in ol.evaluate(evidence(files=(link(checked=False),),
                                                     declarations=declared)).criteria}
    assert found["durable"].status == "unknown"
    assert found["open_standards"].status == "pass"
    assert {code for code, c in found.items() if c.reason == "declared"} == \
        {"complete", "free_of_charge"}


def test_granted_needs_no_fail_and_no_unknown_and_score_counts_passes():
    """A dataset is granted the open-data label only when none of the ten criteria fails
    or is unknown, and its score counts the criteria it passes (000 annex 3)."""
    label = ol.evaluate(evidence())
    assert (label.granted, label.score) == (False, 9)  # complete is unknown
    declared = {"complete": ol.Declaration("pass", "v", "2026-01-01")}
    label = ol.evaluate(evidence(declarations=declared))
    assert (label.granted, label.score) == (True, 10)
    label = ol.evaluate(evidence(declarations=declared, frequency=EU_FREQUENCY + "AS_NEEDED",
                                 freshness=Freshness("not_applicable", D, None, None)))
    assert (label.granted, label.score) == (True, 9)  # not applicable does not block
    label = ol.evaluate(evidence(declarations=declared, private=True))
    assert (label.granted, label.score) == (False, 9)
