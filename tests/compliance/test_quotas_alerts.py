# -*- coding: utf-8 -*-
"""The 80 % mail through ``ckan partnership notify`` and a real SMTP
server (002 §3.3's quotas; "une alerte à 80 % du quota", as the
OpenDataSoft platforms of 002 and 003 send): to the partner's publisher
and to the validators, once per quota and period; a mail server down
records nothing, and the next run sends."""
from __future__ import annotations

import datetime as dt
import email.header
import io
import uuid

import pytest
from dateutil.relativedelta import relativedelta
from werkzeug.datastructures import FileStorage

import ckan.lib.jobs as jobs
import ckan.model as model
from ckan.tests import factories, helpers

from ckanext.partnership import model as pmodel, resource_checks
from ckanext.partnership.notify import run
from tests.conftest import _free_port
from tests.factories import full_dataset
from tests.logic.test_agreements import agreement_004

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index", "clean_redis",
                                     "with_request_context")

A = b"commune,nombre\nAix,1\nArles,2\nGap,3\n"  # 3 records
B = b"commune,nombre\nNice,4\nDigne,5\n"          # 2 records
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def empty_queue():
    jobs.get_queue().empty()
    yield
    jobs.get_queue().empty()


@pytest.fixture
def host():
    factories.User(name="validateur", email="validateur@region-sud.invalid",
                   fullname="Claire Validatrice")
    factories.Organization(name="region-sud",
                           users=[{"name": "validateur", "capacity": "editor"}])


def partner(name, **quotas):
    publisher = factories.User(name=f"{name}-pub", email=f"publicateur@{name}.invalid",
                               fullname=f"Publicateur {name}")
    org = factories.Organization(name=name, title=f"Ville de {name.title()}",
                                 users=[{"name": publisher["name"], "capacity": "editor"}])
    agreement = helpers.call_action(
        "partnership_agreement_create", context={"user": "validateur"},
        **agreement_004(organization=name, reference=f"CONV-{name}",
                        contacts=[{"role": "publisher", "user": publisher["name"]}],
                        **quotas))
    return org, publisher, agreement


def files(org, publisher, *contents):
    package = helpers.call_action(
        "package_create", context={"user": publisher["name"]},
        **full_dataset(org, conforms_to="", private=True, name=f"d-{uuid.uuid4().hex[:8]}"))
    for i, content in enumerate(contents):
        resource = helpers.call_action(
            "resource_create", context={"user": publisher["name"]}, package_id=package["id"],
            url=f"f{i}.csv", format="CSV",
            upload=FileStorage(io.BytesIO(content), filename=f"f{i}.csv",
                               content_type="text/csv"))
        resource_checks.run(resource["id"])


def told(today, failures=None) -> list[str]:
    """The lines of the quota mails a run of ``notify`` sent (the
    agreement's calendar has its own)."""
    return [line for line in run(today, failures) if "of its limit" in line]


def subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def body(message) -> str:
    return message.get_payload(decode=True).decode("utf-8")


def to(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["To"])))


def alerts() -> int:
    return model.Session.query(pmodel.Event).filter_by(kind="quota_alert").count()


def test_at_80_percent_the_publisher_and_the_validators_are_told_once(host, inbox):
    """At 80 % of a quota the partner's publisher and the validators are told once by
    mail (002 §3.3)."""
    org, publisher, agreement = partner("gap", quota_records_total=6)
    files(org, publisher, A, B)  # 5 records of 6: 83 %
    done = told(TODAY)
    assert done == [
        "Ville de Gap: records_total at 83% of its limit, mail to the publisher",
        "Ville de Gap: records_total at 83% of its limit, mail to the validators",
    ]
    assert sorted(to(m) for m in inbox.messages) == [
        "Claire Validatrice <validateur@region-sud.invalid>",
        "Publicateur gap <publicateur@gap.invalid>"]
    message = inbox.messages[0]
    assert subject(message) == ("Quota atteint à 83\xa0% : enregistrements dans "
                                "l'ensemble de ses jeux de données (Ville de Gap)")
    text = body(message)
    assert ("Ville de Gap utilise 5 enregistrements dans l'ensemble de ses jeux de données : "
            "83\xa0% des 6 que permet la convention de partenariat CONV-gap.") in text
    assert f"/partnership/agreements/{agreement['id']}" in text
    # a second run, the same day or later in the month: nothing more
    assert told(TODAY) == []
    assert told(TODAY.replace(day=28) if TODAY.day < 28 else TODAY) == []
    assert len(inbox.messages) == 2 and alerts() == 2


def test_below_80_percent_nothing_is_sent(host, inbox):
    org, publisher, _agreement = partner("gap", quota_records_total=7, quota_storage_bytes=10**6,
                                         quota_records_per_dataset=None)
    files(org, publisher, A, B)  # 5 of 7: 71 %
    assert told(TODAY) == []
    assert inbox.messages == [] and alerts() == 0


def test_past_the_limit_the_mail_says_exceeded_and_comes_again_next_month(host, inbox):
    org, publisher, _agreement = partner("gap", quota_records_per_dataset=4)
    files(org, publisher, A, B)  # a dataset of 5 records, its limit 4
    assert len(told(TODAY)) == 2
    assert subject(inbox.messages[0]) == ("Quota dépassé : enregistrements dans son plus "
                                          "grand jeu de données (Ville de Gap)")
    assert "125\xa0%" in body(inbox.messages[0])
    next_month = TODAY + relativedelta(months=1)
    assert len(told(next_month)) == 2  # still above: told again, once a month
    assert told(next_month) == []
    assert len(inbox.messages) == 4


def test_the_daily_updates_are_told_per_day(host, inbox):
    org, publisher, _agreement = partner("gap", quota_updates_per_day_bytes=len(A + B))
    files(org, publisher, A + B)
    assert told(TODAY) == [
        "Ville de Gap: updates_per_day_bytes at 100% of its limit, mail to the publisher",
        "Ville de Gap: updates_per_day_bytes at 100% of its limit, mail to the validators",
    ]
    assert told(TODAY) == []
    # the next day nothing changed: nothing to tell
    assert told(TODAY + dt.timedelta(days=1)) == []
    assert len(inbox.messages) == 2


def test_the_mail_server_down_records_nothing_and_the_next_run_sends(host, inbox, ckan_config,
                                                                   monkeypatch):
    org, publisher, _agreement = partner("gap", quota_records_total=5)
    files(org, publisher, A, B)
    working = ckan_config["smtp.server"]
    monkeypatch.setitem(ckan_config, "smtp.server", f"127.0.0.1:{_free_port()}")  # nobody
    failures: list[str] = []
    assert told(TODAY, failures) == []
    assert [f for f in failures if f.startswith("quotas: failed")]
    assert alerts() == 0 and inbox.messages == []
    monkeypatch.setitem(ckan_config, "smtp.server", working)
    assert len(told(TODAY)) == 2
    assert len(inbox.messages) == 2 and alerts() == 2
    assert told(TODAY) == []


def test_the_portal_api_calls_tell_the_validators_once_a_month(host, inbox, app):
    _org, _publisher, strict = partner("gap", quota_api_calls_per_month=5)
    partner("nice", quota_api_calls_per_month=100)
    for _ in range(4):
        app.get("/api/3/action/status_show")  # 4 of 5: 80 % of the smallest limit
    done = told(TODAY)
    assert done == [
        "Ville de Gap: api_calls_per_month at 80% of its limit, mail to the publisher",
        "portal: api_calls_per_month at 80% of its limit, mail to the validators",
    ]
    [validators] = [m for m in inbox.messages if "validateur" in to(m)]
    assert subject(validators) == "Appels à l'API du portail : 80\xa0% de la limite du mois"
    assert ("Le portail a répondu à 4 appels à l'API ce mois-ci : 80\xa0% des 5 permis"
            in body(validators))
    assert f"/partnership/agreements/{strict['id']}" in body(validators)
    for _ in range(3):
        app.get("/api/3/action/status_show")  # past the limit: already told this month
    assert told(TODAY) == []
    assert len(inbox.messages) == 2
