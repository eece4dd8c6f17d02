# -*- coding: utf-8 -*-
"""The pages the extension adds or changes, as (role, url) pairs.

The extension's own pages come from the Flask app's ``url_map`` (every GET
rule of the extension's blueprints), so a page added later is crawled
without touching this module; the core pages the extension changes (home,
dataset page and form, organisation page, login, dashboard, user page, 403,
404) are listed by hand. URL parameters are filled from the content the
``people`` and ``public_dataset`` fixtures of tests/conftest.py create.

Used by tests/test_french.py (visible English) and reusable by the browser
tests (accessibility): ``pages(app, content)`` returns plain pairs.
"""
from __future__ import annotations

from typing import Any, Iterator

# The demo roles, by the account of the ``people`` fixture that plays it.
ROLES = {
    "anonymous": None,
    "validator": "validateur",
    "publisher": "aix-publicateur",
    "producer": "aix-producteur",
    "sysadmin": "crawl-admin",
}

BLUEPRINTS = ("partnership",)

# GET rules that are not HTML pages, and why (anything else must be crawled).
NOT_PAGES = {
    "partnership.document": "a stored file of an agreement, sent as a download",
    "partnership.compliance_csv": "the partners' figures as a CSV download",
    "partnership.annual_review_export": "a partner's annual review as a PDF, CSV or JSON download",
    "partnership.portal_review_export": "the portal's annual review as a PDF, CSV or JSON download",
}

CORE_PAGES = (
    "/",
    "/dataset/",
    "/dataset/{dataset}",
    "/dataset/new",
    "/dataset/edit/{dataset}",
    "/dataset/{dataset}/resource/{resource}",
    "/dataset/{dataset}/resource/{resource}/edit",
    "/dataset/{dataset}/resource/new",
    "/dataset/activity/{dataset}",
    "/organization/",
    "/organization/{organization}",
    "/user/login",
    "/user/{user}",
    "/dashboard/datasets",
    "/partnership/queue",  # a 403 page for those who may not see the queue
    "/this-page-does-not-exist",  # the 404 page
)


def content(people: dict[str, Any], dataset: dict[str, Any]) -> dict[str, str]:
    """The values URL parameters are filled with."""
    return {
        "dataset": dataset["name"],
        "resource": dataset["resources"][0]["id"],
        "organization": people["org"]["name"],
        "agreement": people["agreement"]["id"],
    }


def _fill(rule: str, values: dict[str, str]) -> str | None:
    """The URL of a rule with its parameters filled, None if one cannot be."""
    import datetime as dt

    arguments = {"resource_id": values["resource"]}
    if rule.startswith("/partnership/review/"):
        arguments.update(organization=values["organization"], year=str(dt.date.today().year))
    if rule.startswith("/partnership/agreements/"):
        arguments["id"] = values["agreement"]
    elif rule.startswith("/organization/"):
        arguments["id"] = values["organization"]
    elif rule.startswith("/dataset/"):
        arguments["id"] = values["dataset"]
    url = rule
    while "<" in url:
        start, end = url.index("<"), url.index(">")
        name = url[start + 1:end].split(":")[-1]
        if name not in arguments:
            return None
        url = url[:start] + arguments[name] + url[end + 1:]
    return url


def extension_rules(app) -> Iterator[tuple[str, str]]:
    """(endpoint, rule) of every GET rule of the extension's blueprints."""
    for rule in app.flask_app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in BLUEPRINTS and "GET" in (rule.methods or ()):
            yield rule.endpoint, rule.rule


def urls(app, values: dict[str, str]) -> list[str]:
    """Every page to crawl; raises on an extension page it cannot fill."""
    found = []
    for endpoint, rule in sorted(extension_rules(app)):
        if endpoint in NOT_PAGES:
            continue
        url = _fill(rule, values)
        if url is None:
            raise LookupError(f"no content to fill {rule} ({endpoint}): extend tests/crawl.py")
        found.append(url)
    values = dict(values, user="aix-publicateur")
    found += [page.format(**values) for page in CORE_PAGES]
    return list(dict.fromkeys(found))


def pages(app, values: dict[str, str], prefix: str = "") -> list[tuple[str, str]]:
    """(role, url) pairs: every page as every role. ``prefix`` is a locale
    (``/fr``) or empty for the default locale."""
    return [(role, prefix + url) for role in ROLES for url in urls(app, values)]
