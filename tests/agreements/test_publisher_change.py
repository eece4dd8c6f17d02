# -*- coding: utf-8 -*-
"""A change of publisher is reported to the host without delay (000
§9.1.2): through the real stack, mails received by a real SMTP server."""
from __future__ import annotations

import datetime as dt
import email.header
import email.utils

import pytest

import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership.notify import run

in_request = pytest.mark.usefixtures("with_request_context")
HOST_REFERENT = "referent@region-sud.invalid"


def _mails(box):
    """(addressee, subject, body) of each mail received."""
    return [(email.utils.parseaddr(m["To"])[1],
             str(email.header.make_header(email.header.decode_header(m["Subject"]))),
             m.get_payload(decode=True).decode("utf-8")) for m in box.messages]


def _standing(people):
    return helpers.call_action("partnership_agreement_show", context={"user": "validateur"},
                               id=people["agreement"]["id"])["publisher_standing"]


def _as_admin():
    """The portal's administrator: CKAN's member actions ask for a user."""
    if model.User.get("admin") is None:
        factories.Sysadmin(name="admin")
    return {"user": "admin"}


@pytest.fixture
def referent(people):
    """The host's referent of the agreement, by address."""
    helpers.call_action(
        "partnership_agreement_patch", context={"user": "validateur"},
        id=people["agreement"]["id"], contacts=[
            {"role": "publisher", "user": "aix-publicateur", "since": "2019-12-19"},
            {"role": "host_referent", "name": "Claire Martin", "email": HOST_REFERENT,
             "since": "2019-12-19"}])
    return HOST_REFERENT


def test_a_publisher_made_a_plain_member_then_removed_is_reported_to_the_host_once_each(
        app, people, referent, inbox):
    """The publisher loses the right to publish, then leaves the partner:
    the host's referent and the validators are mailed each time, once, and
    the agreement's page says so (000 §9.1.2)."""
    assert _standing(people) == "ok"
    with app.flask_app.test_request_context():
        helpers.call_action("organization_member_create", context=_as_admin(),
                            id="ville-aix-en-provence", username="aix-publicateur", role="member")
    mails = _mails(inbox)
    assert sorted(to for to, _s, _b in mails) == [HOST_REFERENT, "validateur@region-sud.invalid"]
    subject, body = mails[0][1], mails[0][2]
    assert "Ville d'Aix-en-Provence" in subject and "Paul Publicateur" in subject
    assert "000 §9.1.2" in body and f"/partnership/agreements/{people['agreement']['id']}" in body
    assert _standing(people) == "no_rights"
    page = app.get(f"/partnership/agreements/{people['agreement']['id']}",
                   headers={"Authorization": helpers.call_action(
                       "api_token_create", context={"user": "validateur"}, user="validateur",
                       name="t")["token"]})
    assert "partnership-publisher-warning" in page.get_data(as_text=True)

    with app.flask_app.test_request_context():
        # the same standing again (another change of the partner's members): no new mail
        helpers.call_action("organization_member_create", context=_as_admin(),
                            id="ville-aix-en-provence", username="aix-producteur", role="admin")
        assert len(inbox.messages) == 2
        helpers.call_action("organization_member_delete", context=_as_admin(),
                            id="ville-aix-en-provence", username="aix-publicateur")
    assert len(inbox.messages) == 4
    assert _standing(people) == "left"
    assert all("n'est plus membre" in s or "no longer a member" in s
               for _t, s, _b in _mails(inbox)[2:])


@in_request
def test_a_deleted_publisher_account_is_reported(people, referent, inbox):
    """Deleting the publisher's account is a change of publisher
    (000 §9.1.2)."""
    helpers.call_action("user_delete", context=_as_admin(), id="aix-publicateur")
    assert sorted(to for to, _s, _b in _mails(inbox)) == [
        HOST_REFERENT, "validateur@region-sud.invalid"]
    assert _standing(people) == "left"


@in_request
def test_a_change_no_action_made_is_reported_by_the_daily_run(people, referent, inbox):
    """A membership changed in the database, by no action of CKAN's, is
    reported by the next ``notify`` run, once (000 §9.1.2)."""
    publisher = model.User.get("aix-publicateur")
    membership = model.Session.query(model.Member).filter_by(
        table_id=publisher.id, group_id=people["org"]["id"], state="active").one()
    membership.state = "deleted"
    model.Session.commit()
    assert inbox.messages == []
    done = run(dt.date.today())
    assert any("aix-publicateur" in line and "left" in line for line in done)
    told = [m for m in _mails(inbox) if "Paul Publicateur" in m[1]]
    assert sorted(to for to, _s, _b in told) == [HOST_REFERENT, "validateur@region-sud.invalid"]
    assert not any("aix-publicateur" in line for line in run(dt.date.today()))
    assert len([m for m in _mails(inbox) if "Paul Publicateur" in m[1]]) == 2


@in_request
def test_a_member_change_that_leaves_the_publisher_be_reports_nothing(people, referent, inbox):
    """Another member removed: the publisher keeps publishing, the host is
    not disturbed (000 §9.1.2)."""
    helpers.call_action("organization_member_delete", context=_as_admin(), id="ville-aix-en-provence",
                        username="aix-producteur")
    assert inbox.messages == []
    assert _standing(people) == "ok"


@in_request
def test_a_report_whose_mail_cannot_go_is_made_again_by_the_next_run(
        people, referent, inbox, ckan_config, monkeypatch):
    """The mail server is down when the publisher leaves: the change is not
    lost, the next ``notify`` run reports it once the server answers again
    (000 §9.1.2)."""
    from ckanext.partnership import model as pmodel
    from tests.conftest import _free_port

    working = ckan_config["smtp.server"]
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{_free_port()}")  # nobody there
    helpers.call_action("organization_member_delete", context=_as_admin(),
                        id="ville-aix-en-provence", username="aix-publicateur")
    assert inbox.messages == []
    assert model.Session.query(pmodel.Event).filter(
        pmodel.Event.key.like("publisher-%")).count() == 0
    assert not any("aix-publicateur" in line for line in run(dt.date.today()))

    monkeypatch.setitem(ckan_config, "smtp.server", working)
    assert any("aix-publicateur" in line for line in run(dt.date.today()))
    told = [m for m in _mails(inbox) if "Paul Publicateur" in m[1]]
    assert sorted(to for to, _s, _b in told) == [HOST_REFERENT, "validateur@region-sud.invalid"]
