# -*- coding: utf-8 -*-
"""The header: one « Partenariat » entry leading to the pages each role may
use; on one line at 1280 px, usable at 375 px (CKAN's burger menu).
Screenshots of each width and role go to test-results/ on every run."""
from __future__ import annotations

from pathlib import Path

from playwright.sync_api import expect
import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-results"

ROLES = {  # the links the menu offers each role
    "validateur": ["Tableau de bord du validateur", "Conventions", "File de validation",
                   "Chiffres de la publication", "Discussions", "Réponses aux usagers",
                   "Conformité des partenaires"],
    "aix-publicateur": ["Mon tableau de bord partenaire", "Discussions",
                        "Conformité des partenaires"],
    "aix-producteur": ["Mon tableau de bord partenaire", "Discussions",
                       "Conformité des partenaires"],
}


def _shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def _menu_links(page):
    menu = page.locator(".partnership-menu .dropdown-menu")
    return [link.strip() for link in menu.get_by_role("link").all_inner_texts()]


@pytest.mark.parametrize("name", sorted(ROLES))
def test_the_header_is_one_line_at_1280_px_with_one_partnership_menu(
        live_server, people, person, name):
    page = person(name)
    page.goto(live_server.url + "/dataset/")
    items = page.locator("#main-navigation-toggle .navbar-nav > li")
    tops = {round(box["y"]) for box in (items.nth(i).bounding_box() for i in range(items.count()))}
    assert items.count() == 5  # Datasets, Organisations, Groups, About, Partnership
    assert len(tops) == 1, f"the header's entries wrap onto {len(tops)} lines"
    search = page.locator("form.site-search").bounding_box()
    nav = page.locator("#main-navigation-toggle .navbar-nav").bounding_box()
    assert search["y"] < nav["y"] + nav["height"]  # the search box on the same line
    toggle = page.get_by_role("button", name="Partenariat")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert _menu_links(page) == ROLES[name]
    _shot(page, f"header-1280-{name}")
    page.locator(".partnership-menu").get_by_role("link", name="Discussions").click()
    page.wait_for_url("**/partnership/threads")


@pytest.mark.parametrize("name", sorted(ROLES))
def test_the_partnership_menu_works_at_375_px(live_server, people, person, name):
    page = person(name)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + "/dataset/")
    expect(page.get_by_role("button", name="Partenariat")).not_to_be_visible()  # folded away
    page.locator("button.navbar-toggler").click()
    toggle = page.get_by_role("button", name="Partenariat")
    toggle.wait_for(state="visible")
    page.wait_for_selector("#main-navigation-toggle.show")  # the unfolding is over
    for entry in ("Jeux de données", "Organisations", "Groupes", "À propos"):
        expect(page.locator("#main-navigation-toggle").get_by_role("link", name=entry)).to_be_visible()
    _shot(page, f"header-375-{name}-burger")
    toggle.click()
    link = page.locator(".partnership-menu").get_by_role("link", name="Discussions")
    link.wait_for(state="visible")
    box = link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # on the screen
    assert _menu_links(page) == ROLES[name]
    _shot(page, f"header-375-{name}")
    link.click()
    page.wait_for_url("**/partnership/threads")


def test_no_partnership_menu_for_the_public(live_server, people, person):
    page = person("citoyen")
    page.goto(live_server.url + "/dataset/")
    assert page.locator(".partnership-menu").count() == 0
    _shot(page, "header-1280-citoyen")
