# -*- coding: utf-8 -*-
"""Comments on a dataset and the partner's 48-hour answer (000 §10.1.3), in
a real browser, one browser context per person: a member of the public
asks a question on a public_dataset dataset's page, the partner's publisher
finds the thread in its list with its deadline and answers on the page, and
the public figures count the answer on time. A comment holding HTML shows
it as text, never runs it; its links are marked ``rel="nofollow ugc"``.

The pages are in French (the portal's default, whatever the browser asks):
the test reads the French wording, and finds forms and facts by their CSS
classes and data attributes."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ckan.tests import helpers

from tests.browser.test_publication import expected_deadline

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "clean_index")

QUESTION = "Les effectifs comptent-ils les élèves des écoles privées ?"
ANSWER = "Non : le fichier ne compte que les écoles publiques (source DSDEN)."
SCRIPT = "<script>window.pwned = 1</script>"


def publish_comment(page, body):
    """Write in the page's new-comment form and publish."""
    form = page.locator("form.partnership-comment-new")
    form.locator("textarea[name=body]").fill(body)
    with page.expect_navigation():
        form.get_by_role("button", name="Publier").click()
    expect(page.locator(".alert-success")).to_contain_text("Votre message est publié.")


def reply(page, thread, body):
    """Answer in the thread's reply form."""
    form = thread.locator("form.partnership-reply")
    form.locator("textarea[name=body]").fill(body)
    with page.expect_navigation():
        form.get_by_role("button", name="Répondre").click()
    expect(page.locator(".alert-success")).to_contain_text("Votre message est publié.")


def figures(row, header):
    """{column title: cell text} of a row of the figures table."""
    titles = [t.strip() for t in header.locator("th").all_inner_texts()]
    cells = [c.strip() for c in row.locator("th, td").all_inner_texts()]
    assert len(titles) == len(cells), (titles, cells)
    return dict(zip(titles, cells))


def test_the_public_asks_the_partner_answers_on_time_and_the_figures_count_it(
        live_server, people, public_dataset, person, app):
    """In a browser, a member of the public asks on a dataset's page, the partner's
    publisher finds the question in its list with its 48-hour deadline and answers from
    its account, and the public figures count the answer on time (000 §10.1.3,
    003 §9.1)."""
    base = live_server.url
    url = base + f"/dataset/{public_dataset['name']}"

    # -- a member of the public asks a question on the dataset's page
    citizen = person("citoyen")
    citizen.goto(url)
    comments = citizen.locator("section#comments")
    expect(comments.get_by_role("heading", name="Questions et commentaires")).to_be_visible()
    expect(comments).to_contain_text("sous 48 heures")
    expect(comments.locator(".partnership-thread")).to_have_count(0)
    publish_comment(citizen, QUESTION)
    assert citizen.url.startswith(url) and citizen.url.endswith("#comments")

    # the thread shows, awaiting the partner's answer, with its deadline
    thread = citizen.locator("section#comments .partnership-thread")
    expect(thread).to_have_count(1)
    expect(thread).to_have_attribute("data-state", "awaiting")
    expect(thread.locator(".partnership-thread-state")).to_have_text(
        "En attente de la réponse du partenaire")
    expect(thread.locator(".partnership-comment")).to_have_count(1)
    expect(thread.locator(".partnership-comment-body")).to_have_text(QUESTION)
    expect(thread.locator(".partnership-comment")).to_have_attribute("data-author", "citoyen")
    expect(thread.locator(".partnership-partner-badge")).to_have_count(0)
    thread_id = thread.get_attribute("data-thread")

    with app.flask_app.test_request_context():
        [listed] = helpers.call_action("partnership_comment_list",
                                       context={"user": "citoyen"},
                                       package_id=public_dataset["id"])
    assert listed["id"] == thread_id and listed["state"] == "awaiting"
    due = expected_deadline(app, listed["due_at"])
    expect(thread.locator(".partnership-thread-due")).to_contain_text(
        f"réponse attendue le {due}")
    # 48 hours less the few seconds since the question
    expect(thread.locator(".partnership-thread-due")).to_contain_text(
        re.compile(r"reste 1\s*j\s*23\s*h"))

    # -- the partner's publisher finds it in its list, with its deadline
    publisher = person("aix-publicateur")
    publisher.goto(base + "/partnership/threads")
    expect(publisher.get_by_role("heading", level=1)).to_have_text("Discussions")
    listed_thread = publisher.locator(f".partnership-thread[data-thread='{thread_id}']")
    expect(listed_thread).to_have_count(1)
    expect(listed_thread).to_have_attribute("data-state", "awaiting")
    expect(listed_thread.get_by_role("heading", level=2)).to_have_text(public_dataset["title"])
    expect(listed_thread).to_contain_text("Ville d'Aix-en-Provence")
    expect(listed_thread.locator(".partnership-thread-state")).to_have_text(
        "En attente de la réponse du partenaire")
    expect(listed_thread.locator(".partnership-thread-due")).to_contain_text(
        f"réponse attendue le {due}")
    expect(listed_thread.locator(".partnership-comment-body")).to_have_text(QUESTION)

    # follows the link to the dataset's page and answers there
    with publisher.expect_navigation():
        listed_thread.get_by_role("link", name="Répondre sur la page du jeu de données").click()
    assert publisher.url == url + "#comments"
    on_page = publisher.locator(f"section#comments .partnership-thread[data-thread='{thread_id}']")
    expect(on_page).to_have_attribute("data-state", "awaiting")
    reply(publisher, on_page, ANSWER)

    # -- the thread is answered; the answer carries the partner's badge
    for viewer in (publisher, citizen):
        if viewer is citizen:
            viewer.reload()
        answered = viewer.locator(
            f"section#comments .partnership-thread[data-thread='{thread_id}']")
        expect(answered).to_have_attribute("data-state", "answered")
        expect(answered.locator(".partnership-thread-state")).to_have_text("Répondu")
        expect(answered.locator(".partnership-thread-due")).to_have_count(0)
        expect(answered.locator(".partnership-thread-late")).to_have_count(0)
        messages = answered.locator(".partnership-comment")
        expect(messages).to_have_count(2)
        expect(messages.nth(0).locator(".partnership-partner-badge")).to_have_count(0)
        answer = messages.nth(1)
        expect(answer).to_have_attribute("data-author", "aix-publicateur")
        expect(answer.locator(".partnership-comment-meta")).to_contain_text("Paul Publicateur")
        expect(answer.locator(".partnership-partner-badge")).to_have_text("Réponse du partenaire")
        expect(answer.locator(".partnership-comment-body")).to_have_text(ANSWER)

    # it has left the publisher's threads to answer, for the answered ones
    publisher.goto(base + "/partnership/threads")
    expect(publisher.locator(f".partnership-thread[data-thread='{thread_id}']")).to_have_count(0)
    expect(publisher.get_by_text("Aucune discussion ici.")).to_be_visible()
    publisher.get_by_role("link", name="Répondu", exact=True).click()
    done = publisher.locator(f".partnership-thread[data-thread='{thread_id}']")
    expect(done).to_have_attribute("data-state", "answered")
    expect(done.locator(".partnership-partner-badge")).to_have_text("Réponse du partenaire")

    # -- the public figures count one discussion answered within the deadline
    visitor = person(None)
    visitor.goto(base + "/partnership/response-stats")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Réponses aux usagers")
    table = visitor.locator("table.partnership-response-table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(1)
    row = table.locator("tbody tr[data-organization='ville-aix-en-provence']")
    expect(row).to_have_count(1)
    got = figures(row, table.locator("thead"))
    assert got == {
        "Partenaire": "Ville d'Aix-en-Provence",
        "Discussions": "1",
        "Répondu": "1",
        "Répondu dans le délai": "100 %",
        "Délai médian de première réponse": got["Délai médian de première réponse"],
        "En attente": "0",
        "En retard": "0",
    }, got
    assert re.fullmatch(r"0([.,]\d+)? h", got["Délai médian de première réponse"]), got
    total = figures(table.locator("tfoot tr"), table.locator("thead"))
    assert (total["Discussions"], total["Répondu"], total["Répondu dans le délai"]) == (
        "1", "1", "100 %"), total


def test_html_in_a_comment_shows_as_text_and_links_are_nofollow(
        live_server, people, public_dataset, person):
    base = live_server.url
    url = base + f"/dataset/{public_dataset['name']}"
    citizen = person("citoyen")
    citizen.goto(url)
    publish_comment(citizen, f"{SCRIPT} **gras**")

    thread = citizen.locator("section#comments .partnership-thread")
    expect(thread).to_have_count(1)
    body = thread.locator(".partnership-comment-body")
    # the script shows as text, never runs
    expect(body).to_contain_text(SCRIPT)
    expect(body).not_to_contain_text("&lt;")
    expect(citizen.get_by_text(SCRIPT)).to_be_visible()
    expect(citizen.locator("section#comments script")).to_have_count(0)
    assert citizen.evaluate("typeof window.pwned") == "undefined"
    # and the Markdown is rendered
    expect(body.locator("strong")).to_have_text("gras")
    expect(body).not_to_contain_text("**")

    # a reply with links: each marked nofollow ugc, no javascript: address
    reply(citizen, thread, "Voir [la source](https://exemple.fr/source), "
                           "https://exemple.fr/donnees et [ceci](javascript:alert(1)).")
    second = citizen.locator("section#comments .partnership-comment").nth(1)
    expect(second).to_contain_text("Voir la source")
    source = second.get_by_role("link", name="la source")
    expect(source).to_have_attribute("href", "https://exemple.fr/source")
    expect(source).to_have_attribute("rel", "nofollow ugc")
    bare = second.locator("a[href='https://exemple.fr/donnees']")
    expect(bare).to_have_count(1)
    expect(bare).to_have_attribute("rel", "nofollow ugc")
    expect(second.locator("a[href^='javascript']")).to_have_count(0)
    links = second.locator(".partnership-comment-body a")
    for i in range(links.count()):
        expect(links.nth(i)).to_have_attribute("rel", "nofollow ugc")
    # a reply by someone else than the partner does not stop the clock
    expect(thread).to_have_attribute("data-state", "awaiting")

    # anyone reading the page, logged out, sees the text, nothing runs
    visitor = person(None)
    visitor.goto(url)
    expect(visitor.locator("section#comments .partnership-comment-body").first).to_contain_text(
        SCRIPT)
    expect(visitor.locator("section#comments .partnership-comment-body strong")).to_have_text(
        "gras")
    assert visitor.evaluate("typeof window.pwned") == "undefined"
    expect(visitor.locator("section#comments form.partnership-comment-new")).to_have_count(0)
    expect(visitor.get_by_role("link", name="Connectez-vous pour commenter")).to_be_visible()
