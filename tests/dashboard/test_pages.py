# -*- coding: utf-8 -*-
"""The dashboard's page, through the Flask test app: each role's page shows
what the action gives, its links lead where the work is done, a partner
sees nothing of another, anonymous is sent to log in, lists are capped."""
from __future__ import annotations

import re

import pytest

from ckan.tests import helpers

from tests.dashboard.work import board, draft
from tests.publication.test_views import _get

NotAuthorized = helpers.logic.NotAuthorized


def test_the_page_shows_the_action_with_working_links(app, work):
    for user, title in (("aix-publicateur", "Mon tableau de bord partenaire"),
                        ("validateur", "Tableau de bord du validateur")):
        response = _get(app, "/partnership/dashboard", user)
        assert response.status_code == 200
        body = response.body
        assert body.count("<h1") == 1 and title in body
        content = board(user)
        for key in ("to_submit", "pending", "to_fix", "threads", "flagged", "deadlines"):
            for item in content[key]["items"]:
                shown = (item.get("package_title") or item.get("title")
                         or item.get("reference"))
                assert shown in body, (user, key)
        section = body[body.index('class="module-content"'):]
        lines = re.findall(r'<li[^>]*data-[a-z]+="[^"]*"[^>]*>\s*<a href="([^"]+)', section)
        assert len(lines) == sum(len(content[key]["items"]) for key in content
                                 if isinstance(content[key], dict)), user
        links = {link.split("#")[0] for link in lines}
        for link in links:
            assert _get(app, link, user).status_code == 200, (user, link)
    assert work["other"]["title"] not in _get(app, "/partnership/dashboard",
                                              "aix-publicateur").body
    other = _get(app, "/partnership/dashboard", "cd13-producteur").body
    for key in ("ready", "pending", "refused", "flagged"):
        assert work[key]["title"] not in other, key
    assert "Quelle est la source" not in other


def test_anonymous_is_sent_to_log_in_and_refused_by_the_action(app, people):
    response = _get(app, "/partnership/dashboard", follow_redirects=False)
    assert response.status_code == 302
    assert "/user/login" in response.headers["Location"]
    with pytest.raises(NotAuthorized):
        helpers.call_action("partnership_dashboard_show", context={"user": "", "ignore_auth": False})


def test_the_lists_are_capped_with_a_link_to_all(app, people):
    for _ in range(6):
        draft(people)
    mine = board("aix-publicateur")
    assert mine["to_submit"]["count"] == 6 and len(mine["to_submit"]["items"]) == 5
    body = _get(app, "/partnership/dashboard", "aix-publicateur").body
    assert "Voir tous les jeux de données de Ville d" in body
    assert body.count('data-dataset="brouillon-') == 5
