# -*- coding: utf-8 -*-
"""What the dashboard's tests build: datasets waiting, late answers, and
the dashboard as a user reads it."""
from __future__ import annotations

import datetime as dt
import uuid

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import model as pmodel
from tests.factories import full_dataset
from tests.logic.test_publication import as_


def board(user):
    return helpers.call_action("partnership_dashboard_show", context=as_(user))


def listed(box, key="package_name"):
    return [item[key] for item in box["items"]]


def draft(people, org=None, user="aix-producteur", **over):
    """A complete private dataset, no file (cheap)."""
    fields = {"name": f"brouillon-{uuid.uuid4().hex[:8]}",
              "title": f"Brouillon {uuid.uuid4().hex[:6]}", "conforms_to": "", "private": True,
              **over}
    data = full_dataset(org or people["org"], **fields)
    return helpers.call_action("package_create", context=as_(user), **data)


def overdue(thread_id):
    """The thread's answer is 49 hours late (its stored clock moved back)."""
    row = model.Session.get(pmodel.Thread, thread_id)
    for column in ("clock_started_at", "clock_due_at", "first_started_at", "first_due_at"):
        if getattr(row, column) is not None:
            setattr(row, column, getattr(row, column) - dt.timedelta(hours=49))
    for c in row.comments:
        c.created -= dt.timedelta(hours=49)
    model.Session.commit()
