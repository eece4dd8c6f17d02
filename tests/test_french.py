# -*- coding: utf-8 -*-
"""French everywhere a user looks, and avatars that work offline.

Every page the extension adds or changes (tests/crawl.py), as every demo
role, under the French locale: no visible English sentence, no image that
the portal does not serve itself."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from ckan.tests import factories, helpers

from tests import crawl

# Hosts of the image URLs ckan.tests.factories gives the organisations it
# creates (test content, not the portal's).
FACTORY_IMAGE_HOSTS = ("https://picsum.photos/", "https://placekitten.com/",
                       "https://dummyimage.com/")
# Words that are English and not French: a fragment of visible text with
# three of them, making half its words or more, is an English sentence.
ENGLISH = set("""
the you your yours to of and is are was be been this that these those click here
login log in sign up out with for from by not no have has had will would can could
might may must need needs should please there their they them what which who when
where how all any more about create created edit view search add new remove delete
update updated save cancel back next previous show hide manage settings account
password username email dataset datasets organization organizations group groups
activity stream dashboard followers following news feed home member members
access page sorry found error an it its if or at as
""".split())
# Fragments that are English on purpose: proper names, licence titles.
ALLOWED = (
    "Open Data Commons",
    "Creative Commons",
)
WORD = re.compile(r"[A-Za-z']+")
SHOWN_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label")


class _Visible(HTMLParser):
    """Visible text of a page: text nodes outside script/style and the
    attribute values a user is shown, each as its own fragment; and the
    src of every image."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fragments: list[str] = []
        self.images: list[str] = []
        self.avatars: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "template"):
            self._hidden += 1
        if tag == "img" and attrs.get("src"):
            self.images.append(attrs["src"])
            if "user-image" in (attrs.get("class") or "").split():
                self.avatars.append(attrs["src"])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.fragments.append(attrs["value"])
        self.fragments += [attrs[a] for a in SHOWN_ATTRIBUTES if attrs.get(a)]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.fragments.append(data)


def parse(html: str) -> _Visible:
    parser = _Visible()
    parser.feed(html)
    return parser


def english_sentences(fragments: list[str]) -> list[str]:
    """The fragments (split at sentence ends) that read as English."""
    found = []
    for fragment in fragments:
        for sentence in re.split(r"(?<=[.!?:;|])\s+|\n", fragment):
            sentence = " ".join(sentence.split())
            if any(allowed in sentence for allowed in ALLOWED):
                continue
            words = [w.lower() for w in WORD.findall(sentence)]
            english = [w for w in words if w in ENGLISH]
            if len(english) >= 3 and 2 * len(english) >= len(words):
                found.append(sentence)
    return found


def test_the_rule_finds_english_and_spares_french():
    assert english_sentences(["You might need to login to access this page."])
    assert english_sentences(["Username or Email"])
    assert english_sentences(["Vous devez vous connecter pour accéder à cette page.",
                              "Jeux de données de la Ville d'Aix-en-Provence",
                              "Open Data Commons Open Database License (ODbL)"]) == []


@pytest.fixture
def site(app, people, public_dataset):
    factories.Sysadmin(name="crawl-admin")
    for user in crawl.ROLES.values():  # users without an image of their own, as in the demo
        if user:
            helpers.call_action("user_patch", context={"user": "crawl-admin"}, id=user,
                                image_url="")
    tokens = {
        role: user and helpers.call_action("api_token_create", context={"user": user},
                                           user=user, name="crawl")["token"]
        for role, user in crawl.ROLES.items()
    }

    def get(role, url, **kwargs):
        headers = {"Authorization": tokens[role]} if tokens[role] else {}
        return app.get(url, headers=headers, status=None, **kwargs)

    get.pages = crawl.pages(app, crawl.content(people, public_dataset))
    return get


def test_the_crawl_covers_every_page_of_the_extension(app, people, public_dataset):
    urls = crawl.urls(app, crawl.content(people, public_dataset))
    rules = dict(crawl.extension_rules(app))
    assert len(urls) >= len(rules) - len(crawl.NOT_PAGES)
    assert "/partnership/queue" in urls and "/user/login" in urls


def test_no_english_sentence_on_any_page_as_any_role(site):
    english = {}
    for role, url in site.pages:
        response = site(role, url)
        assert response.status_code in (200, 403, 404), (role, url, response.status_code)
        found = english_sentences(parse(response.body).fragments)
        if found:
            english[f"{role} {url}"] = found
    assert english == {}, "\n".join(f"{page}: {found}" for page, found in english.items())


def test_the_login_and_error_pages_speak_french(site):
    login = site("anonymous", "/user/login").body
    assert "Username or Email" not in login
    assert "Nom d'utilisateur ou courriel" in login
    forbidden = site("anonymous", "/partnership/queue")
    assert forbidden.status_code == 403
    assert "You might need to login" not in forbidden.body
    assert "Vous devez peut-être vous connecter pour accéder à cette page." in forbidden.body
    assert "403 Accès refusé" in forbidden.body and "Forbidden" not in forbidden.body
    missing = site("validator", "/this-page-does-not-exist")
    assert missing.status_code == 404
    assert "404 Page introuvable" in missing.body
    assert "La page demandée n'existe pas sur ce portail." in missing.body
    assert "requested URL" not in missing.body


def test_every_image_is_served_by_the_portal(site):
    checked = {}
    for role, url in site.pages:
        body = site(role, url).body
        assert "gravatar.com" not in body, (role, url)
        for src in parse(body).images:
            if src not in checked and not src.startswith(FACTORY_IMAGE_HOSTS):
                assert src.startswith("/") and not src.startswith("//"), (role, url, src)
                image = site("anonymous", src)
                checked[src] = (image.status_code, image.headers.get("Content-Type", ""))
    assert checked  # avatars and logos are shown
    broken = {src: got for src, got in checked.items()
              if got[0] != 200 or not got[1].startswith("image/")}
    assert broken == {}


def test_avatars_are_local_on_the_pages_that_show_them(site, public_dataset):
    for role, url in [("validator", "/dataset/activity/" + public_dataset["name"]),
                      ("validator", "/partnership/queue"),
                      ("publisher", "/user/aix-publicateur")]:
        avatars = parse(site(role, url).body).avatars
        assert avatars, (role, url)  # the header's at least
        assert all(src.startswith("/") and not src.startswith("//") for src in avatars), (
            role, url, avatars)
