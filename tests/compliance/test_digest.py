# -*- coding: utf-8 -*-
"""The monthly compliance digest from ``ckan partnership notify``, through
CKAN's mailer to a real SMTP server: once a month to each partner's
publisher, its late datasets and label failures with working links, never
a private dataset, nothing when all is well, sent by the next run when the
mail server was down; gathered in as many queries for 4 partners as for 1."""
from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from aiosmtpd.controller import Controller

import ckan.model as model
from ckan.tests import helpers

from ckanext.partnership import compliance
from ckanext.partnership import model as pmodel
from ckanext.partnership.compliance import digests
from ckanext.partnership.notify import run
from tests.compliance.test_dataset_compliance import EU_FREQ, TODAY, checked, dataset, days_ago
from tests.conftest import Inbox, _free_port
from tests.factories import partner
from tests.logic.test_agreements import agreement_004
from tests.publication.test_reminders import mails
from tests.sql import queries

pytestmark = pytest.mark.usefixtures("with_request_context")

PUBLISHER = "publicateur@aix.invalid"
SITE = "http://test.ckan.net"  # ckan.site_url of test.ini
CSV = [{"name": "Données", "format": "CSV", "url": "https://data.exemple.fr/d.csv"}]
NEXT_MONTH = (TODAY.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def digests_in(box):
    return [m for m in mails(box) if "Conformité de vos données" in m[1]]


def store_days_late(package_id, on=TODAY):
    model.Session.expire_all()
    row = model.Session.get(pmodel.DatasetCompliance, package_id)
    return (on - row.expected_by).days


def late(org, title, days=100, **fields):
    """A public monthly dataset updated ``days`` ago, its file checked: late,
    and failing nothing else."""
    files = [dict(CSV[0], last_modified=days_ago(days))]  # not changed since either
    created = dataset(org, title=title, frequency=EU_FREQ + "MONTHLY",
                      modified=days_ago(days), resources=files, **fields)
    checked(created["id"])
    return created


def failing(org, title, **fields):
    """A public monthly dataset updated yesterday without any file: fresh,
    failing the four criteria about files."""
    return dataset(org, title=title, frequency=EU_FREQ + "MONTHLY", modified=days_ago(1),
                   **fields)


def digest_lines(done):
    return [line for line in done if "compliance digest" in line]


def links(body):
    return re.findall(r"https?://\S+", body)


def test_sent_once_a_month_with_the_late_and_the_failing_and_working_links(
        app, people, inbox):
    """Once a month the partner's publisher gets by mail its late datasets and those
    failing a criterion of the label, with links that work (000 §10.1.1, 000 annex 3)."""
    org = people["org"]
    old = late(org, "Menus des cantines", days=100)
    older = late(org, "Horaires des piscines", days=200)
    bare = failing(org, "Parkings relais")
    secret = dataset(org, title="Projet secret", private=True, frequency=EU_FREQ + "MONTHLY",
                     modified=days_ago(300))
    inbox.messages.clear()

    done = run(TODAY)
    assert digest_lines(done) == [
        "ville-aix-en-provence: compliance digest, 2 late, 4 label criteria failing"]
    [(to, subject, body)] = digests_in(inbox)
    assert to == f"Paul Publicateur <{PUBLISHER}>"
    assert subject == ("[DataSud partenaires (tests)] Conformité de vos données : "
                       "2 en retard, 4 critères du label à revoir")
    # most days late first, each with its days late and its page
    first = body.index("Horaires des piscines")
    second = body.index("Menus des cantines")
    assert first < second
    assert f"- Horaires des piscines, en retard de {store_days_late(older['id'])} jours\n" \
           f"  {SITE}/dataset/{older['name']}" in body
    assert f"- Menus des cantines, en retard de {store_days_late(old['id'])} jours\n" \
           f"  {SITE}/dataset/{old['name']}" in body
    # the failing criteria by their names, in the label's order
    assert ("- Parkings relais : Accessibles durablement, Téléchargeables, Lisibles par "
            f"une machine, Formats ouverts\n  {SITE}/dataset/{bare['name']}/label") in body
    assert "Projet secret" not in body and secret["name"] not in body
    assert f"{SITE}/organization/compliance/ville-aix-en-provence" in body
    for url in links(body):
        if "/organization/compliance/" in url:
            continue  # the per-partner pages' own, linked by its path
        page = app.get(url[len(SITE):], status=200).body
        if url.endswith("/label"):  # the page of the ten criteria
            assert "Parkings relais" in page and "Téléchargeables" in page

    # a second run the same month sends nothing
    inbox.messages.clear()
    assert digest_lines(run(TODAY)) == []
    assert digest_lines(run(TODAY.replace(day=28))) == []  # later the same month
    assert digests_in(inbox) == []

    # next month, again, the days late counted to that day
    done = run(NEXT_MONTH)
    assert digest_lines(done) == [
        "ville-aix-en-provence: compliance digest, 2 late, 4 label criteria failing"]
    [(_to, _subject, body)] = digests_in(inbox)
    assert f"en retard de {store_days_late(old['id'], NEXT_MONTH)} jours" in body


def test_nothing_when_all_is_well(people, inbox):
    fine = dataset(people["org"], title="Menus des cantines", frequency=EU_FREQ + "MONTHLY",
                   modified=days_ago(1), resources=CSV)
    checked(fine["id"])
    dataset(people["org"], title="Projet secret", private=True, frequency=EU_FREQ + "MONTHLY",
            modified=days_ago(300))
    inbox.messages.clear()
    assert digest_lines(run(TODAY)) == []
    assert digests_in(inbox) == []
    assert not model.Session.query(pmodel.Event).filter_by(kind=digests.KIND).count()


def test_each_list_is_bounded_the_rest_counted_with_the_partners_page(
        people, inbox, monkeypatch):
    monkeypatch.setattr(digests, "LIMIT", 1)
    late(people["org"], "Menus des cantines", days=100)
    late(people["org"], "Horaires des piscines", days=200)
    failing(people["org"], "Parkings relais")
    inbox.messages.clear()
    run(TODAY)
    [(_to, subject, body)] = digests_in(inbox)
    assert "2 en retard" in subject
    assert "Horaires des piscines" in body and "Menus des cantines" not in body
    assert (f"et 1 autre : {SITE}/organization/compliance/ville-aix-en-provence"
            in body)
    assert "Parkings relais" in body  # one failing: nothing more to count there


class Refusing(Inbox):
    """A real SMTP server that refuses the addresses in ``refused``."""

    def __init__(self):
        super().__init__()
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def smtp(ckan_config, monkeypatch):
    """A real SMTP server that a test may stop and start again on its port,
    or make refuse an address."""
    box = Refusing()
    port = _free_port()
    server = {"controller": Controller(box, hostname="127.0.0.1", port=port)}
    server["controller"].start()
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{port}")

    def stop():
        server["controller"].stop()

    def start():
        for _attempt in range(50):  # the port may linger a moment
            try:
                server["controller"] = Controller(box, hostname="127.0.0.1", port=port)
                server["controller"].start()
                return
            except Exception:
                time.sleep(0.1)
        raise AssertionError(f"the SMTP server could not start again on {port}")

    box.stop, box.start = stop, start
    yield box
    try:
        server["controller"].stop()
    except Exception:
        pass


def test_a_mail_server_down_records_nothing_and_the_next_run_sends_it(people, smtp):
    late(people["org"], "Menus des cantines")
    smtp.messages.clear()
    smtp.stop()
    failures: list[str] = []
    assert digest_lines(run(TODAY, failures)) == []
    assert [f for f in failures if f.startswith("ville-aix-en-provence: failed")]
    assert not model.Session.query(pmodel.Event).filter_by(kind=digests.KIND).count()
    smtp.start()
    failures = []
    assert digest_lines(run(TODAY, failures)) == [
        "ville-aix-en-provence: compliance digest, 1 late, 0 label criteria failing"]
    assert failures == []
    [(_to, subject, body)] = digests_in(smtp)
    assert "1 en retard, 0 critère du label à revoir" in subject
    assert "Menus des cantines" in body


def _partner_under_agreement(n):
    """Another partner under an agreement in force, its publisher named, and
    a late and a failing dataset."""
    org = partner(name=f"commune-{n}", title=f"Commune {n}")
    helpers.call_action(
        "partnership_agreement_create", context={"user": "validateur"},
        **agreement_004(organization=org["name"], reference=f"CONV-2019-C{n}",
                        contacts=[{"role": "publisher", "user": org["publisher"]["name"],
                                   "since": "2019-12-19"}]))
    late(org, f"Menus de la commune {n}")
    failing(org, f"Parkings de la commune {n}")
    return org


def test_a_partner_without_publisher_is_skipped_the_others_get_theirs(people, inbox):
    org = partner(name="commune-sans-publicateur", title="Commune sans publicateur")
    helpers.call_action(
        "partnership_agreement_create", context={"user": "validateur"},
        **agreement_004(organization=org["name"], reference="CONV-2019-SANS",
                        contacts=[{"role": "referent", "name": "Jean Martin",
                                   "email": "j.martin@commune.invalid",
                                   "since": "2019-12-19"}]))
    late(org, "Menus sans publicateur")
    late(people["org"], "Menus des cantines")
    inbox.messages.clear()
    failures: list[str] = []
    assert digest_lines(run(TODAY, failures)) == [
        "ville-aix-en-provence: compliance digest, 1 late, 0 label criteria failing"]
    assert failures == []
    [(to, _subject, body)] = digests_in(inbox)
    assert PUBLISHER in to and "Menus sans publicateur" not in body


def test_gathered_in_as_many_queries_for_4_partners_as_for_1(people, inbox):
    late(people["org"], "Menus des cantines")
    failing(people["org"], "Parkings relais")
    run(TODAY)  # the store brought up to date; the digest recorded
    model.Session.query(pmodel.Event).filter_by(kind=digests.KIND).delete()
    model.Session.commit()
    with queries() as one:
        assert len(compliance.monthly_digests(TODAY)) == 1
    for n in range(3):
        _partner_under_agreement(n)
    run(TODAY)
    model.Session.query(pmodel.Event).filter_by(kind=digests.KIND).delete()
    model.Session.commit()
    with queries() as four:
        found = compliance.monthly_digests(TODAY)
    assert len(found) == 4
    assert all(d.late_count == 1 and d.failing_count == 1 for d in found)
    assert len(four) == len(one)


def test_a_refused_address_leaves_the_other_partners_be_and_is_sent_later(people, smtp):
    late(people["org"], "Menus des cantines")
    other = _partner_under_agreement(1)
    smtp.refused.add(PUBLISHER)
    smtp.messages.clear()
    failures: list[str] = []
    assert digest_lines(run(TODAY, failures)) == [
        "commune-1: compliance digest, 1 late, 4 label criteria failing"]
    assert [f for f in failures if f.startswith("ville-aix-en-provence: failed")]
    [(to, _subject, body)] = digests_in(smtp)
    assert other["publisher"]["email"] in to and "Menus de la commune 1" in body
    smtp.refused.clear()
    smtp.messages.clear()
    assert digest_lines(run(TODAY)) == [
        "ville-aix-en-provence: compliance digest, 1 late, 0 label criteria failing"]
    [(to, _subject, _body)] = digests_in(smtp)
    assert PUBLISHER in to
