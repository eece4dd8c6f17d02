# -*- coding: utf-8 -*-
"""model/base.py: the stored times as the API returns them. No database."""
from __future__ import annotations

import datetime as dt

from ckanext.partnership import model as pmodel
from ckanext.partnership.model import base


def test_iso_gives_a_stored_time_its_utc_offset():
    assert base.iso(dt.datetime(2026, 3, 29, 1, 30, 5)) == "2026-03-29T01:30:05+00:00"
    assert base.iso(dt.datetime(2026, 3, 29, 1, 30, 5, 250)) == "2026-03-29T01:30:05.000250+00:00"


def test_iso_leaves_no_time_as_none():
    assert base.iso(None) is None


def test_now_is_naive_utc():
    before = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    now = base.now()
    assert now.tzinfo is None
    assert before <= now <= dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def test_as_dict_writes_times_as_iso_does_and_dates_plainly():
    row = pmodel.Event(key="k", agreement_id="a", kind="reminder",
                       created=dt.datetime(2026, 1, 2, 3, 4, 5))
    out = pmodel.as_dict(row)
    assert out["created"] == "2026-01-02T03:04:05+00:00" == pmodel.iso(row.created)
    assert out["key"] == "k" and out["package_id"] is None
    meeting = pmodel.CommitteeMeeting(agreement_id="a", held_on=dt.date(2026, 5, 4))
    assert pmodel.as_dict(meeting)["held_on"] == "2026-05-04"


def test_the_package_still_names_every_table_and_query():
    for name in ("Agreement", "Contact", "Amendment", "Event", "Document", "PlannedDataset",
                 "CommitteeMeeting", "ResourceCheck", "PublicationRequest", "Thread",
                 "Comment", "current_agreement", "agreement_in_force", "_now", "as_dict"):
        assert getattr(pmodel, name) is not None, name
    assert not hasattr(pmodel, "agreement_columns")


def test_the_relationships_by_class_name_resolve_across_modules():
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    assert pmodel.Agreement.contacts.property.mapper.class_ is pmodel.Contact
    assert pmodel.Agreement.amendments.property.mapper.class_ is pmodel.Amendment
    assert pmodel.Thread.comments.property.mapper.class_ is pmodel.Comment
    assert pmodel.Comment.thread.property.mapper.class_ is pmodel.Thread
