# -*- coding: utf-8 -*-
"""The leak sweep: private stays private.

One private object of every kind the extension stores (a dataset, its
publication requests, a check report, a discussion on a dataset gone
private, a comment hidden as abuse, contact messages, an annex entry
linked to the private dataset, the agreement's non-public details and
document) carries a marker string. Then every read action (in process and
through the HTTP API), every page of the portal, its feeds and its DCAT
output are read as an anonymous visitor, as a logged-in citizen and as a
member of another partner: the marker must appear nowhere, nor the id of a
private dataset or file that the request did not itself name. A validator
reads the same and must see every marker, so that the sweep cannot pass
because nothing was stored.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from typing import Any, Iterator
from urllib.parse import urlencode

import pytest

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.tests import factories, helpers

from ckanext.partnership import resource_checks
from ckanext.partnership.logic import action as partnership_actions
from tests.logic.test_agreements import _file
from tests.logic.test_publication import as_, dataset, decide, submit
from tests.pdf import tiny_pdf

MARK = "fuite" + uuid.uuid4().hex[:8]
_FOUND = re.compile(MARK + r"([a-z]+)")

#: What carries a marker, one word each.
KINDS = (
    "dataset",      # the private dataset: name, title, notes, a tag
    "request",      # the refusal of its publication request
    "report",       # its file's check report (a column's name)
    "dictionary",   # its file's data dictionary (a column's description)
    "contact",      # a contact message about a public dataset
    "letter",       # a contact message to the partner
    "thread",       # a discussion on a dataset withdrawn since
    "withdrawal",   # the reason given when it was withdrawn
    "abuse",        # a comment hidden as abuse
    "agreement",    # the agreement's title
    "referent",     # one of its contacts
    "amendment",    # an amendment's summary
    "minutes",      # a steering committee's minutes
    "document",     # a document's title
    "pdf",          # the document's content
)

#: The core actions that read: every list, show and activity stream.
CORE_READS = (
    "package_search", "package_show", "package_list", "current_package_list_with_resources",
    "package_autocomplete", "package_activity_list",
    "resource_show", "resource_search", "resource_view_list",
    "organization_show", "organization_list", "organization_activity_list",
    "organization_list_for_user", "group_list",
    "recently_changed_packages_activity_list", "dashboard_activity_list",
    "user_show", "user_list", "user_activity_list", "activity_data_show", "activity_diff",
    "status_show",
)

#: The core actions read through the HTTP API as well (the extension's all
#: are): those whose authorisation or output the extension changes.
HTTP_READS = ("package_search", "package_show", "resource_show", "organization_show",
              "package_activity_list", "organization_activity_list")

#: Routes that are no page to read (the API's actions are read above; the
#: comparisons of two versions need both in their query).
SKIPPED_ENDPOINTS = {"static", "webassets.index", "home.redirect_locale", "user.logout",
                     "util.internal_redirect", "api.snippet", "api.i18n_js_translations",
                     "api.action", "activity.package_changes_multiple",
                     "activity.organization_changes_multiple",
                     "activity.group_changes_multiple"}

RDF_FORMATS = ("ttl", "xml", "jsonld")


def mark(kind: str) -> str:
    return MARK + kind


def partnership_reads() -> list[str]:
    """The extension's read actions: those of its API marked side-effect free."""
    return [name for name, action in partnership_actions.get_actions().items()
            if getattr(action, "side_effect_free", False)]


# -- what is stored ------------------------------------------------------------

@pytest.fixture
def secrets(app, people, public_dataset):
    """The private objects, with the ids a reader may try (created inside
    a request, for their mail; the pages are then read in requests of
    their own, with no context left over)."""
    with app.flask_app.test_request_context():
        return _create_secrets(people, public_dataset)


def _create_secrets(people, public_dataset):
    factories.User(name="auteur", email="auteur@exemple.invalid")
    agreement = people["agreement"]
    validator = as_("validateur")

    # a private dataset, its publication refused, its file's report
    secret = dataset(people, name=f"jeu-{mark('dataset')}", title=f"Jeu {mark('dataset')}",
                     notes=f"Notes confidentielles {mark('dataset')}",
                     tag_string=f"prénoms,{mark('dataset')}")
    refused = decide(submit(secret), decision="refuse", reasons=["other"],
                     message=f"Refusé : {mark('request')}")
    pending = submit(secret)
    report_file = helpers.call_action(
        "resource_create", context=as_("aix-producteur"), package_id=secret["id"],
        name="Annuaire", format="CSV", url="annuaire.csv",
        data_dictionary=[{"name": "commune", "type": "string",
                          "description": f"Commune {mark('dictionary')}"}],
        upload=_file("annuaire.csv", f"commune,{mark('report')}\nAix,jeanne.martin@free.fr\n"
                     .encode(), "text/csv"))
    assert resource_checks.run(report_file["id"]) == "failure"

    # a discussion on a dataset published, then withdrawn
    withdrawn = dataset(people)
    decide(submit(withdrawn), decision="approve")
    question = helpers.call_action("partnership_comment_create", context=as_("auteur"),
                                   package_id=withdrawn["id"],
                                   body=f"Question {mark('thread')}")
    helpers.call_action("partnership_dataset_unpublish", context=validator,
                        id=withdrawn["id"], reason="other",
                        message=f"Retiré : {mark('withdrawal')}")

    # on the public dataset: a comment hidden as abuse, a contact message;
    # and a contact message to the partner
    abusive = helpers.call_action("partnership_comment_create", context=as_("auteur"),
                                  package_id=public_dataset["id"],
                                  body=f"Injure {mark('abuse')}")
    helpers.call_action("partnership_comment_close", context=validator,
                        id=abusive["thread_id"], reason="abuse")
    contact = helpers.call_action(
        "partnership_contact_create", context={"user": ""}, package_id=public_dataset["id"],
        name=f"Camille {mark('contact')}", email=f"{mark('contact')}@exemple.fr",
        subject=f"Objet {mark('contact')}", body=f"Message {mark('contact')}")
    letter = helpers.call_action(
        "partnership_contact_create", context=as_("auteur"),
        organization="ville-aix-en-provence", name=f"Dominique {mark('letter')}",
        email=f"{mark('letter')}@exemple.fr", subject=f"Objet {mark('letter')}",
        body=f"Lettre {mark('letter')}")

    # the annex names the private dataset; the agreement's details
    planned = helpers.call_action("partnership_planned_dataset_create", context=validator,
                                  agreement_id=agreement["id"], title="Menus des cantines",
                                  package_id=secret["id"])
    current = helpers.call_action("partnership_agreement_show", context=validator,
                                  id=agreement["id"])
    helpers.call_action(
        "partnership_agreement_patch", context=validator, id=agreement["id"],
        title=f"Convention {mark('agreement')}",
        contacts=[{k: c[k] for k in ("role", "user", "name", "email", "since") if c.get(k)}
                  for c in current["contacts"]] + [
            {"role": "host_referent", "name": f"Claude {mark('referent')}",
             "email": f"{mark('referent')}@region-sud.invalid"}])
    helpers.call_action("partnership_amendment_create", context=validator,
                        agreement_id=agreement["id"], reference="AV-1", signed_on="2024-01-10",
                        summary=f"Avenant {mark('amendment')}")
    helpers.call_action("partnership_committee_meeting_create", context=validator,
                        agreement_id=agreement["id"], held_on="2024-06-01",
                        minutes=f"Compte rendu {mark('minutes')}")
    document = helpers.call_action(
        "partnership_document_create", context=validator, agreement_id=agreement["id"],
        kind="annex", title=f"Annexe {mark('document')}",
        upload=_file("annexe.pdf", tiny_pdf(mark("pdf"))))

    secret = helpers.call_action("package_show", id=secret["id"])
    withdrawn = helpers.call_action("package_show", id=withdrawn["id"])
    datasets = [secret, withdrawn, public_dataset]
    threads = [question["thread_id"], abusive["thread_id"], contact["id"], letter["id"]]
    activity = pmodel_activity()
    activities = [a for (a,) in model.Session.query(activity.id).filter(
        activity.object_id.in_([d["id"] for d in datasets]))]
    private_files = [r["id"] for d in (secret, withdrawn) for r in d["resources"]]
    assert report_file["id"] in private_files
    return {
        "datasets": datasets,
        "dataset_ids": [d["id"] for d in datasets],
        "organizations": [people["org"]["name"], people["other"]["name"]],
        # whose pages may list the objects: their producer, their author, the host
        "users": ["aix-producteur", "auteur", "validateur"],
        "activities": activities,
        "agreement": agreement["id"],
        "agreements": [agreement["id"]],
        "document": document["id"],
        "resources": [r["id"] for d in datasets for r in d["resources"]],
        "threads": threads,
        "requests": [refused["id"], pending["id"]],
        "ids": [secret["id"], withdrawn["id"], public_dataset["id"], *private_files,
                *(r["id"] for r in public_dataset["resources"]),
                refused["id"], pending["id"], *threads, question["id"], abusive["id"],
                *(c["id"] for c in contact["comments"] + letter["comments"]),
                agreement["id"], planned["id"], document["id"],
                people["org"]["id"], people["other"]["id"]],
        # ids that are themselves a secret: those of a dataset never
        # published and of its files (the withdrawn one's were public)
        "private_ids": [secret["id"], *(r["id"] for r in secret["resources"])],
    }


def pmodel_activity():
    from ckanext.activity.model import Activity

    return Activity


# -- reading -------------------------------------------------------------------

class Reader:
    """Everything one person reads, and the markers and private ids found."""

    def __init__(self, app, user: str | None, secrets: dict[str, Any]):
        self.app = app
        self.user = user
        self.secrets = secrets
        self.headers = {}
        if user:
            self.headers["Authorization"] = helpers.call_action(
                "api_token_create", context={"user": user}, user=user, name="sweep")["token"]
        self.found: dict[str, set[str]] = {}   # kind -> where
        self.leaked_ids: list[str] = []
        self.crashes: list[str] = []
        self.reads = 0

    def look(self, where: str, answer: str, asked: str) -> None:
        self.reads += 1
        text = answer.lower()
        for kind in _FOUND.findall(text):
            self.found.setdefault(kind, set()).add(where)
        for private_id in self.secrets["private_ids"]:
            if private_id in answer and private_id not in asked:
                self.leaked_ids.append(f"{where}: {private_id}")

    # actions ---------------------------------------------------------------

    #: What a parameter takes, by the words of its description.
    _OBJECTS = (("activit", "activities"), ("resource", "resources"), ("thread", "threads"),
                ("request", "requests"), ("agreement", "agreements"),
                ("dataset", "dataset_ids"), ("package", "dataset_ids"), ("user", "users"),
                ("organi", "organizations"), ("partner", "organizations"),
                ("group", "organizations"))

    def _candidates(self, param: str, description: str) -> list[Any]:
        s = self.secrets
        if param in ("id", "package_id", "resource_id", "agreement_id", "organization",
                     "organization_id", "user", "object_id"):
            text = (param + " " + description).lower()
            for word, objects in self._OBJECTS:
                if word in text:
                    return s[objects]
            return s["ids"]
        return {
            "q": ["jeu", "confidentielles", "e"],
            "query": ["name:jeu"],
            "state": ["all"],
            "status": ["refused", "pending"],
        }.get(param, [])

    def calls(self, action: str) -> Iterator[dict[str, Any]]:
        """The action called bare, then with each object its parameters
        may name: its parameters and what they take are read from its
        docstring."""
        params = re.findall(r":param (\w+):([^\n]*)", tk.get_action(action).__doc__ or "")
        names = [p for p, _d in params]
        flags: dict[str, Any] = {p: True for p in names
                                 if (p.startswith("include_") and p != "include_hidden_activity")
                                 or p == "all_fields"}
        if "rows" in names:
            flags["rows"] = 1000
        if "limit" in names:
            flags["limit"] = 100
        yield dict(flags)
        for param, description in params:
            for value in self._candidates(param, description):
                yield {**flags, param: value}

    def action(self, action: str, data: dict[str, Any]) -> None:
        context = {"user": self.user or "", "ignore_auth": False}
        where = f"{action}({data})"
        try:
            with self.app.flask_app.test_request_context():
                result = tk.get_action(action)(context, dict(data))
            answer = json.dumps(result, default=str, ensure_ascii=False)
        except (tk.NotAuthorized, tk.ObjectNotFound) as error:
            answer = str(error)
        except tk.ValidationError as error:
            answer = json.dumps(error.error_dict, default=str, ensure_ascii=False)
        except Exception as error:  # noqa: BLE001 - a crash is reported, not a leak
            model.Session.rollback()
            self.crashes.append(f"{where}: {error!r}")
            return
        self.look(where, answer, json.dumps(data))

    def api(self, action: str, data: dict[str, Any]) -> None:
        query = urlencode({k: json.dumps(v) if isinstance(v, bool) else v
                           for k, v in data.items()})
        self.get(f"/api/3/action/{action}?{query}")

    def actions(self) -> None:
        ours = partnership_reads()
        for action in [*ours, *CORE_READS]:
            for data in self.calls(action):
                self.action(action, data)
                if action in ours or action in HTTP_READS:
                    self.api(action, data)

    # pages -----------------------------------------------------------------

    def get(self, url: str) -> None:
        try:
            response = self.app.get(url, headers=self.headers, status=None,
                                    follow_redirects=True)
        except RuntimeError:  # a redirect off the portal (a file's address): read as is
            response = self.app.get(url, headers=self.headers, status=None,
                                    follow_redirects=False)
        if response.status_code >= 500:
            self.crashes.append(f"GET {url}: {response.status_code}")
        answer = response.data.decode("utf-8", errors="replace") + json.dumps(
            dict(response.headers))
        self.look(f"GET {url}", answer, url)

    def urls(self) -> Iterator[tuple[str, str]]:
        """(endpoint, URL) of every GET route of the portal whose arguments
        the objects fill."""
        flask_app = self.app.flask_app
        s = self.secrets
        datasets = s["datasets"]
        for rule in flask_app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS:
                continue
            args = set(rule.arguments) - set(rule.defaults or {})
            path = rule.rule
            fills: list[dict[str, Any]] = []
            if not args:
                fills = [{}]
            elif args == {"_format"}:
                fills = [{"_format": f} for f in RDF_FORMATS]
            elif args == {"_id", "_format"} and path.startswith("/dataset/"):
                fills = [{"_id": d["id"], "_format": f} for d in datasets for f in RDF_FORMATS]
            elif args == {"id"} and path.startswith("/dataset/"):
                fills = [{"id": d["id"]} for d in datasets]
            elif args == {"id"} and path.startswith(("/organization/", "/feeds/organization/")):
                fills = [{"id": o} for o in s["organizations"]]
            elif args == {"id"} and path.startswith("/partnership/agreements/"):
                fills = [{"id": s["agreement"]}]
            elif args == {"id"} and path.startswith("/user/"):
                fills = [{"id": u} for u in s["users"]]
            elif args == {"id", "resource_id"}:
                fills = [{"id": d["id"], "resource_id": r["id"]}
                         for d in datasets for r in d["resources"]]
            elif args == {"id", "resource_id", "filename"}:
                fills = [{"id": d["id"], "resource_id": r["id"],
                          "filename": r["url"].rsplit("/", 1)[-1]}
                         for d in datasets for r in d["resources"]]
            elif args == {"id", "activity_id"}:  # the versions of the private datasets
                fills = [{"id": d["id"], "activity_id": a}
                         for d in datasets[:2] for a in self._activities_of(d["id"])]
            elif args == {"id", "document_id"}:
                fills = [{"id": s["agreement"], "document_id": s["document"]}]
            elif path.startswith("/partnership/review/"):
                # the annual reviews, the page and its text exports (the
                # PDF's text is the page's), of each partner and the portal
                year = dt.date.today().year
                orgs = [{"organization": o} for o in s["organizations"]] \
                    if "organization" in args else [{}]
                formats = [{"fmt": f} for f in ("csv", "json")] if "fmt" in args else [{}]
                fills = [{"year": year, **o, **f} for o in orgs for f in formats]
            for values in fills:
                with flask_app.test_request_context():
                    url = tk.url_for(rule.endpoint, **{**(rule.defaults or {}), **values})
                yield rule.endpoint, url.replace("http://test.ckan.net", "")

    def _activities_of(self, package_id: str) -> list[str]:
        activity = pmodel_activity()
        return [a for (a,) in model.Session.query(activity.id).filter(
            activity.object_id == package_id)]

    def pages(self) -> set[str]:
        visited, seen = set(), set()
        extra = ["/dataset/?q=jeu", "/dataset/?q=confidentielles",
                 "/api/2/util/dataset/autocomplete?incomplete=jeu",
                 "/api/2/util/tag/autocomplete?incomplete=e",
                 f"/organization/{self.secrets['organizations'][0]}?q=jeu"]
        for endpoint, url in [*self.urls(), *(("", u) for u in extra)]:
            visited.add(endpoint)
            if url not in seen:
                seen.add(url)
                self.get(url)
        return visited


def test_nothing_private_reaches_a_visitor_a_citizen_or_another_partner(app, secrets):
    readers = {"anonymous": None, "citizen": "citoyen", "another partner": "cd13-producteur",
               "validator": "validateur"}
    report = {}
    for who, user in readers.items():
        reader = Reader(app, user, secrets)
        reader.actions()
        visited = reader.pages()
        report[who] = reader

    # the sweep read what it says it read
    routes = {r.endpoint for r in app.flask_app.url_map.iter_rules()
              if r.endpoint.startswith("partnership.") and "GET" in r.methods}
    assert routes <= visited, f"pages not read: {routes - visited}"
    assert {"partnership_comment_list", "partnership_planned_dataset_list",
            "partnership_thread_list", "partnership_agreement_show"} <= set(partnership_reads())

    # the validator reads every marker: they were stored, and the sweep
    # reads as its reader (in process, through the API, in the pages)
    validator = report.pop("validator")
    assert set(validator.found) == set(KINDS), f"never stored: {set(KINDS) - set(validator.found)}"
    assert validator.crashes == []
    places = validator.found["dataset"] | validator.found["contact"]
    for where in ("partnership_thread_list(", "GET /api/3/action/package_search",
                  "GET /dataset/", "GET /partnership/threads"):
        assert any(p.startswith(where) for p in places), where
    # the data dictionary: its table on the resource page, its Table Schema
    assert any(p.startswith("GET /dataset/") and p.endswith("/schema.json")
               for p in validator.found["dictionary"]), validator.found["dictionary"]

    leaks: dict[str, list[str]] = {}
    for who, reader in report.items():
        assert reader.reads > 400
        assert reader.crashes == [], f"{who}: {reader.crashes[:10]}"
        for kind, found in reader.found.items():
            leaks.setdefault(who, []).extend(f"{kind} in {p}" for p in sorted(found)[:5])
        if reader.leaked_ids:
            leaks.setdefault(who, []).extend(reader.leaked_ids[:5])
    assert not leaks, "\n".join(f"{who}: {line}" for who, lines in leaks.items()
                                for line in lines)


def test_a_private_datasets_keywords_are_listed_to_who_reads_it_only(app, people):
    with app.flask_app.test_request_context():
        dataset(people, tag_string=f"prénoms,{mark('dataset')}")
        public = dataset(people, tag_string="délibérations")
        decide(submit(public), decision="approve")
    calls = [("tag_list", {}), ("tag_list", {"all_fields": True}),
             ("tag_list", {"query": MARK}), ("tag_search", {"query": MARK[:4]}),
             ("tag_autocomplete", {"q": MARK[:4]})]
    for user in ("", "citoyen", "cd13-producteur", "aix-producteur", "validateur"):
        answers = json.dumps([helpers.call_action(name, context=as_(user), **data)
                              for name, data in calls], ensure_ascii=False)
        assert (mark("dataset") in answers) is (user in ("aix-producteur", "validateur")), user
        assert "délibérations" in answers, user
    found = helpers.call_action("tag_search", context=as_("citoyen"), query="é")
    assert [t["name"] for t in found["results"]] == ["délibérations"]
    assert found["count"] == 1
