# -*- coding: utf-8 -*-
"""The rules of restricted-access data (004 §7.1), without a database."""
from __future__ import annotations

import datetime as dt

from ckanext.partnership.domain import access

TODAY = dt.date(2026, 12, 3)


def test_only_public_access_rights_are_open():
    assert not access.is_restricted(None) and not access.is_restricted("")
    assert not access.is_restricted(access.PUBLIC)
    assert access.is_restricted(access.RESTRICTED)
    assert access.is_restricted(access.EU_ACCESS_RIGHT + "NON_PUBLIC")


def test_a_grant_holds_until_the_end_of_its_last_day_unless_revoked():
    assert access.grant_active(None, False, TODAY)
    assert access.grant_active(TODAY, False, TODAY)
    assert not access.grant_active(TODAY - dt.timedelta(days=1), False, TODAY)
    assert not access.grant_active(None, True, TODAY)


def test_a_purpose_says_something():
    assert access.purpose_errors(None) == ["required"]
    assert access.purpose_errors("   ") == ["required"]
    assert access.purpose_errors("court") == ["too_short"]
    assert access.purpose_errors("x" * (access.PURPOSE_LENGTH + 1)) == ["too_long"]
    assert access.purpose_errors("Une étude sur la démographie") == []


def test_a_grant_cannot_end_in_the_past_and_a_decision_is_taken_once():
    assert access.until_error(TODAY - dt.timedelta(days=1), TODAY) == "past"
    assert access.until_error(TODAY, TODAY) is None and access.until_error(None, TODAY) is None
    assert access.decision_error("pending") is None
    assert access.decision_error("granted") == "decided"


def test_a_scrubbed_file_keeps_its_description_and_loses_every_address():
    resource = {"id": "r", "name": "Export", "url": "https://intranet/secret.csv",
                "download_url": "https://intranet/secret.csv", "access_url": "https://x",
                "format": "CSV"}
    out = access.scrubbed_resource(resource, "https://portail/dataset/d/resource/r/download")
    assert out == {"id": "r", "name": "Export", "format": "CSV",
                   "url": "https://portail/dataset/d/resource/r/download",
                   "partnership_restricted": True}
    assert resource["url"] == "https://intranet/secret.csv"  # the input is left as it was


def test_who_downloads():
    def allowed(**kw):
        base = {"privileged": False, "member_of": (), "granted": (), "package_id": "p"}
        return access.package_allowed("org", **{**base, **kw})
    assert allowed(privileged=True)
    assert allowed(member_of=["org"])
    assert allowed(granted=["p"])
    assert not allowed(member_of=["other"], granted=["q"])
