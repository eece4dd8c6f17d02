# -*- coding: utf-8 -*-
"""Who may make a partner's dataset public, on every path (shared API,
"Who is who"; 000 §9.1.2): a table of roles × paths through the real
action chain and the real dataset form."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest
from werkzeug.datastructures import MultiDict

from ckan.tests import factories, helpers

from tests.factories import full_dataset
from tests.logic.test_publication import as_, dataset, submit

ROLES = {
    "producer": "aix-producteur",
    "publisher": "aix-publicateur",
    "validator": "validateur",
    "other partner": "cd13-producteur",
    "anonymous": "",
}


class _Form(HTMLParser):
    """The fields of the dataset form as a browser would send them."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "dataset-edit":
            self._in_form = True
        if not self._in_form:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value") or ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.fields.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea:
            name, value = self.fields[-1]
            self.fields[-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _token(user):
    return helpers.call_action("api_token_create", context={"user": user}, user=user,
                               name="t")["token"]


def form_publish(app, user, package):
    """Open the edit form, choose « Public », save. Returns whether the
    page reported an error (the dataset is checked by the caller)."""
    headers = {"Authorization": _token(user)} if user else {}
    page = app.get(f"/dataset/edit/{package['name']}", headers=headers, status=None)
    if page.status_code != 200:
        raise helpers.logic.NotAuthorized(page.status_code)
    parser = _Form()
    parser.feed(page.body)
    fields = [(k, v) for k, v in parser.fields if k != "private"] + [("private", "False"),
                                                                     ("save", "")]
    answer = app.post(f"/dataset/edit/{package['name']}", headers=headers,
                      data=MultiDict(fields), status=None)
    return answer


def attempt(path, user, people, app):
    """Try to make a partner dataset public by ``path`` as ``user``."""
    ctx = as_(user)
    if path == "package_create":
        data = full_dataset(people["org"], name="cree-public", private=False)
        helpers.call_action("package_create", context=ctx, **data)
        return "cree-public"
    if path == "move into the organisation":
        helpers.call_action("package_patch", context=ctx, id="jeu-libre",
                            owner_org=people["org"]["id"])
        return "jeu-libre"
    package = dataset(people)
    if path == "package_update":
        shown = helpers.call_action("package_show", id=package["id"])
        shown["private"] = False
        helpers.call_action("package_update", context=ctx, **shown)
    elif path == "package_patch":
        helpers.call_action("package_patch", context=ctx, id=package["id"], private=False)
    elif path == "bulk visibility":
        helpers.call_action("bulk_update_public", context=ctx, org_id=people["org"]["id"],
                            datasets=[package["id"]])
    elif path == "dataset form":
        form_publish(app, user, package)
    elif path == "submit and decide":
        request = submit(package, user)
        helpers.call_action("partnership_publication_decide", context=as_(user),
                            id=request["id"], decision="approve")
    elif path == "submit":
        submit(package, user)
        if helpers.call_action("package_show", id=package["id"])["private"]:
            return None  # a request, not a publication: counted below
    return package["name"]


PATHS = ["package_create", "package_update", "package_patch", "dataset form",
         "bulk visibility", "move into the organisation", "submit and decide"]

# Under a validated agreement no direct path publishes: the publisher
# submits, a validator decides. Validators are not members of the partner:
# CKAN itself refuses them its datasets' forms; they publish by deciding.
EXPECTED = {path: set() for path in PATHS}
EXPECTED["submit and decide"] = {"validator"}


NotAuthorized = helpers.logic.NotAuthorized
ValidationError = helpers.logic.ValidationError


def refusal(role, path):
    """How ``path`` refuses ``role``: the error raised (None: the form
    page tells) and what it says (None: CKAN's own words)."""
    if role == "anonymous":
        return NotAuthorized, None
    if role in ("validator", "other partner") and path in (
            "package_create", "package_update", "package_patch", "dataset form"):
        return NotAuthorized, None  # CKAN's own: not a member of the partner
    if role == "validator":
        return {"bulk visibility": (NotAuthorized, None),
                "move into the organisation": (ValidationError, "owner_org")}[path]
    if role == "publisher" and path == "submit and decide":
        return NotAuthorized, "validators"  # decides not
    # the rule of the agreement: the publisher submits, nobody else publishes;
    # the form is a French page, the actions run outside a request (msgids)
    if path == "dataset form":
        return None, ("soumettez ce jeu de données pour publication" if role == "publisher"
                      else "Seul le publicateur de Ville d&#39;Aix-en-Provence, Paul Publicateur")
    says = ("submit this dataset for publication" if role == "publisher"
            else "Only the publisher of Ville d'Aix-en-Provence, Paul Publicateur")
    if path in ("bulk visibility", "submit and decide"):
        return NotAuthorized, says
    return ValidationError, says


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("role", list(ROLES))
def test_who_may_publish_under_a_validated_agreement(app, people, role, path):
    """Under a validated agreement, whatever the role and the path (API, form, bulk action,
    move), a partner's dataset becomes public only through a request a host validator
    approves; producers, the publisher and outsiders are refused, told who publishes
    (000 §9.1.2)."""
    user = ROLES[role]
    free = factories.Organization(name="libre", users=[
        {"name": u, "capacity": "editor"} for u in ROLES.values() if u])
    helpers.call_action("package_create", context={"user": "aix-producteur"},
                        **full_dataset(free, name="jeu-libre", private=False))
    name = None
    if role in EXPECTED[path]:
        name = attempt(path, user, people, app)
    else:
        error, says = refusal(role, path)
        if error is None:  # the form is shown again, saying why
            answer = form_publish(app, user, dataset(people))
            assert answer.status_code == 200, answer.status_code
            assert says in answer.get_data(as_text=True)
        else:
            with pytest.raises(error) as refused:
                attempt(path, user, people, app)
            if says == "owner_org":  # CKAN's own: the validator is no member of it
                assert list(refused.value.error_dict) == ["owner_org"]
            elif error is ValidationError:  # the agreement's rule, on the field
                assert says in refused.value.error_dict["private"][0], refused.value.error_dict
            elif says:
                assert says in str(refused.value), str(refused.value)
    published = {p["name"] for p in helpers.call_action(
        "package_search", q="*:*", fq=f"owner_org:{people['org']['id']}",
        include_private=False)["results"]}
    allowed = role in EXPECTED[path]
    assert bool(published) is allowed, (role, path, published)
    if allowed:
        assert name in published


def test_the_publisher_submits_and_the_validator_decides(people):
    """Only the partner's publisher submits its dataset for publication, and no one of the
    partner decides a request: the host's validators do (000 §9.1.2, 001 §2.3)."""
    package = dataset(people)
    for role in ("producer", "other partner", "anonymous"):
        with pytest.raises(helpers.logic.NotAuthorized):
            submit(package, ROLES[role])
    request = submit(package, "aix-publicateur")
    for role in ("producer", "publisher", "other partner", "anonymous"):
        with pytest.raises(helpers.logic.NotAuthorized):
            helpers.call_action("partnership_publication_decide", context=as_(ROLES[role]),
                                id=request["id"], decision="approve")


def test_a_producer_is_told_who_publishes(people):
    package = dataset(people)
    with pytest.raises(helpers.logic.ValidationError) as error:
        helpers.call_action("package_patch", context=as_("aix-producteur"), id=package["id"],
                            private=False)
    message = error.value.error_dict["private"][0]
    assert "Paul Publicateur" in message and "Ville d'Aix-en-Provence" in message


def test_the_form_shows_the_refusal_next_to_the_visibility(app, people):
    package = dataset(people)
    answer = form_publish(app, "aix-producteur", package)
    assert "Paul Publicateur" in answer.body
    assert helpers.call_action("package_show", id=package["id"])["private"] is True


@pytest.mark.parametrize("path", ["package_patch", "bulk visibility", "move out"])
def test_only_validators_withdraw_directly(people, path):
    package = dataset(people)
    helpers.call_action("partnership_publication_decide", context=as_("validateur"),
                        id=submit(package)["id"], decision="approve")
    factories.Organization(name="libre", users=[
        {"name": u, "capacity": "editor"} for u in ("aix-producteur", "aix-publicateur")])
    error = NotAuthorized if path == "bulk visibility" else ValidationError
    for user in ("aix-producteur", "aix-publicateur"):
        says = ("moves to another organisation only through the host's validators"
                if path == "move out" else
                "Paul Publicateur" if user == "aix-producteur" else "« Withdraw » on its page")
        with pytest.raises(error, match=says):
            if path == "package_patch":
                helpers.call_action("package_patch", context=as_(user), id=package["id"],
                                    private=True)
            elif path == "bulk visibility":
                helpers.call_action("bulk_update_private", context=as_(user),
                                    org_id=people["org"]["id"], datasets=[package["id"]])
            else:
                helpers.call_action("package_patch", context=as_(user), id=package["id"],
                                    owner_org="libre")
    shown = helpers.call_action("package_show", id=package["id"])
    assert (shown["private"], shown["organization"]["name"]) == (
        False, "ville-aix-en-provence")


def test_autonomous_publishers_publish_directly_producers_still_not(people):
    """Under an autonomous agreement the publisher makes a dataset public with a plain
    save, while producers and other partners are still refused (002 art. 1, 3)."""
    helpers.call_action("partnership_agreement_patch", context={"user": "validateur"},
                        id=people["agreement"]["id"], publication_mode="autonomous")
    for user, refused in (("aix-producteur", ValidationError), ("cd13-producteur", NotAuthorized),
                          ("aix-publicateur", None)):
        package = dataset(people)
        publish = lambda: helpers.call_action(  # noqa: E731
            "package_patch", context=as_(user), id=package["id"], private=False)
        if refused is None:
            publish()
        else:
            with pytest.raises(refused) as error:
                publish()
            if refused is ValidationError:  # the agreement's rule, naming the publisher
                assert "Paul Publicateur" in error.value.error_dict["private"][0]
        assert (not helpers.call_action("package_show", id=package["id"])["private"]) is (
            refused is None)


def test_without_an_agreement_in_force_the_organisation_is_plain_ckan(app, people):
    helpers.call_action("partnership_agreement_patch", context={"user": "validateur"},
                        id=people["agreement"]["id"], state="ended")
    package = dataset(people)
    helpers.call_action("package_patch", context=as_("aix-producteur"), id=package["id"],
                        private=False)
    assert helpers.call_action("package_show", id=package["id"])["private"] is False
    # the same form that is refused under an agreement publishes here
    package = dataset(people)
    form_publish(app, "aix-producteur", package)
    assert helpers.call_action("package_show", id=package["id"])["private"] is False
    with pytest.raises(helpers.logic.NotAuthorized, match="no agreement in force"):
        submit(dataset(people))
