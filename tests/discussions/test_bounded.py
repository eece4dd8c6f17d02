# -*- coding: utf-8 -*-
"""The regression guard of the discussions: each list (action or page)
sends as many SQL statements for 100 threads, of several comments each, as
for 10 (one query per related table for the whole page, never one per
row). The threads are seeded through the model (it is only setup); the
requests go through the real actions and the Flask test app."""
from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import model as pmodel
from tests.publication.test_views import _get
from tests.sql import queries

def seed(people, count, package_id=None):
    """``count`` threads of the partner: on a dataset each (``package_id``,
    or one of its own), or contact messages, in every state; each with a
    question, the partner's answer and a question again by other accounts,
    so that organisations, datasets, accounts and comments are all looked
    up."""
    org_id = people["org"]["id"]
    partner = model.User.get("aix-producteur")
    validator = model.User.get("validateur")
    now = pmodel._now()
    for i in range(count):
        key = uuid.uuid4().hex[:10]
        asker = model.User(name=f"u-{key}", fullname=f"Usager {key}",
                           email=f"{key}@exemple.invalid")
        other = model.User(name=f"v-{key}", email=f"v{key}@exemple.invalid")
        model.Session.add_all([asker, other])
        model.Session.flush()
        target = package_id
        if target is None and i % 4 != 3:
            package = model.Package(name=f"jeu-{key}", title=f"Jeu {key}", owner_org=org_id,
                                    private=False, state="active", type="dataset")
            model.Session.add(package)
            model.Session.flush()
            target = package.id
        kind = "comment" if target else "contact"
        start = now - dt.timedelta(hours=i % 72)
        thread = pmodel.Thread(kind=kind, organization_id=org_id, package_id=target,
                               created=start, sender_name=None if target else "Camille",
                               sender_email=None if target else f"{key}@exemple.fr")
        thread.comments.append(pmodel.Comment(author_id=asker.id, body="Question ?",
                                              created=start))
        if i % 3:
            thread.comments.append(pmodel.Comment(author_id=partner.id, by_partner=True,
                                                  body="Réponse.",
                                                  created=start + dt.timedelta(hours=1)))
        thread.comments.append(pmodel.Comment(author_id=other.id, body="Et encore ?",
                                              created=start + dt.timedelta(hours=2)))
        if i % 5 == 4:
            thread.closed_at, thread.closed_by = now, validator.id
            thread.close_reason = "abuse" if i % 10 == 9 else "no_answer_needed"
        model.Session.add(thread)
    model.Session.commit()


def counted(call):
    """The SQL statements of ``call()`` (after a first call that warms
    CKAN's caches, from an empty session so that what the first one left
    in it counts for nothing), and what it returned."""
    call()
    model.Session.remove()
    with queries() as sent:
        result = call()
    return len(sent), result


def ten_then_hundred(people, call, package_id=None):
    seed(people, 10, package_id)
    small, first = counted(call)
    seed(people, 90, package_id)
    large, second = counted(call)
    return small, large, first, second


def action(name, user, **data):
    return lambda: helpers.call_action(name, context={"user": user, "ignore_auth": False},
                                       **data)


@pytest.mark.parametrize("user", ["validateur", "aix-producteur"])
def test_the_thread_list_sends_as_many_queries_for_100_threads_as_for_10(people, user):
    small, large, first, second = ten_then_hundred(
        people, action("partnership_thread_list", user, state="all", limit=1000))
    assert (len(first), len(second)) == (10, 100)
    assert sum(len(t["comments"]) for t in second) > 200
    assert small == large


def test_the_thread_count_sends_as_many_queries_for_100_threads_as_for_10(people):
    small, large, first, second = ten_then_hundred(
        people, action("partnership_thread_count", "aix-producteur", state="all"))
    assert (first, second) == ({"count": 10}, {"count": 100})
    assert small == large


def test_the_threads_page_sends_as_many_queries_for_100_threads_as_for_10(app, people):
    small, large, first, second = ten_then_hundred(
        people, lambda: _get(app, "/partnership/threads?state=all", "validateur"))
    assert first.body.count('class="partnership-thread ') == 10
    assert second.body.count('class="partnership-thread ') == 50  # a page
    assert "100 discussions" in second.body
    assert re.search(r"/partnership/threads\?state=all&(amp;)?page=2", second.body)
    assert small == large


def test_a_datasets_threads_send_as_many_queries_for_100_as_for_10(public_dataset, people):
    small, large, first, second = ten_then_hundred(
        people, action("partnership_comment_list", "validateur",
                       package_id=public_dataset["id"], limit=1000), public_dataset["id"])
    assert (len(first), len(second)) == (10, 100)
    assert small == large


def test_the_dataset_page_sends_as_many_queries_for_100_threads_as_for_10(
        app, public_dataset, people):
    url = f"/dataset/{public_dataset['name']}"
    small, large, first, second = ten_then_hundred(
        people, lambda: _get(app, url, "validateur"), public_dataset["id"])
    assert first.body.count('class="partnership-thread ') == 10
    assert second.body.count('class="partnership-thread ') == 50  # a page, and a pager
    assert "100 discussions" in second.body and "page=2" in second.body
    assert small == large


def test_the_response_figures_send_as_many_queries_for_100_threads_as_for_10(people):
    small, large, first, second = ten_then_hundred(
        people, action("partnership_response_stats", ""))
    # threads hidden as abuse are left out
    assert (first["threads"], second["threads"]) == (9, 90)
    assert small == large


def test_the_public_figures_page_sends_as_many_queries_for_100_threads_as_for_10(
        app, people):
    small, large, first, second = ten_then_hundred(
        people, lambda: _get(app, "/partnership/response-stats"))
    assert first.status_code == second.status_code == 200
    assert small == large


def test_the_threads_page_filters_by_partner_and_keeps_it(app, people):
    seed(people, 3)
    other = pmodel.Thread(kind="contact", organization_id=people["other"]["id"],
                          sender_name="Camille", sender_email="camille@exemple.fr")
    other.comments.append(pmodel.Comment(body="Bonjour ?"))
    model.Session.add(other)
    model.Session.commit()
    url = f"/partnership/threads?state=all&organization={people['other']['id']}"
    body = _get(app, url, "validateur").body
    assert body.count('class="partnership-thread ') == 1 and "1 discussion" in body
    assert f'data-thread="{other.id}"' in body
    assert f'<option value="{people["other"]["id"]}" selected>' in body
    assert "4 discussions" in _get(app, "/partnership/threads?state=all", "validateur").body
