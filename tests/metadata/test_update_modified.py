# -*- coding: utf-8 -*-
"""Replacing a file proposes to update the dataset's ``modified``
(``metadata/modified.py``): the resource form's ticked box, the
``update_modified`` parameter of the resource actions."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from werkzeug.datastructures import FileStorage

from ckan.tests import helpers

from tests.factories import minimal_dataset, partner

OLD = "2025-10-20"
LINK = "https://www.greasque.fr/opendata/deliberations-2025.csv"


def _upload(name: str, body: bytes = b"commune,seance\nGreasque,2025-10-01\n") -> FileStorage:
    return FileStorage(io.BytesIO(body), filename=name, content_type="text/csv")


@pytest.fixture
def dataset(with_plugins, clean_db, clean_index):
    org = partner()
    user = org["publisher"]["name"]
    sent = minimal_dataset(org, resources=[{"url": LINK, "format": "CSV", "name": "2025"}])
    created = helpers.call_action("package_create", context={"user": user}, **sent)
    return {**created, "user": user}


def modified(dataset) -> str:
    return helpers.call_action("package_show", id=dataset["id"])["modified"]


def today() -> str:
    return dt.date.today().isoformat()


def test_another_address_with_update_modified_dates_the_data_today(dataset):
    resource = dataset["resources"][0]
    helpers.call_action("resource_patch", context={"user": dataset["user"]},
                        id=resource["id"], url=LINK.replace("2025", "2026"),
                        update_modified=True)
    assert modified(dataset) == today()


def test_without_update_modified_the_date_stays(dataset):
    resource = dataset["resources"][0]
    helpers.call_action("resource_patch", context={"user": dataset["user"]},
                        id=resource["id"], url=LINK.replace("2025", "2026"))
    assert modified(dataset) == OLD
    helpers.call_action("resource_patch", context={"user": dataset["user"]},
                        id=resource["id"], url=LINK.replace("2025", "2027"),
                        update_modified="false")
    assert modified(dataset) == OLD


def test_a_name_or_description_edit_leaves_the_date_even_when_asked(dataset):
    resource = dataset["resources"][0]
    helpers.call_action("resource_patch", context={"user": dataset["user"]},
                        id=resource["id"], description="Séances de 2025",
                        update_modified=True)
    assert modified(dataset) == OLD
    stored = helpers.call_action("resource_show", id=resource["id"])
    assert stored["description"] == "Séances de 2025"
    assert "update_modified" not in stored


def test_a_new_upload_over_an_upload_of_the_same_name_is_a_new_file(dataset):
    resource = helpers.call_action(
        "resource_create", context={"user": dataset["user"]}, package_id=dataset["id"],
        url="seances.csv", url_type="upload", upload=_upload("seances.csv"))
    assert modified(dataset) == OLD  # not asked
    # the same file name, from the form (the stored name) and from a
    # script (the download URL package_show gives): no new file, no new date
    helpers.call_action("resource_patch", context={"user": dataset["user"]},
                        id=resource["id"], url="seances.csv", name="Séances",
                        update_modified="on")
    helpers.call_action("resource_update", context={"user": dataset["user"]},
                        **{**helpers.call_action("resource_show", id=resource["id"]),
                           "update_modified": True})
    assert modified(dataset) == OLD
    helpers.call_action("resource_patch", context={"user": dataset["user"]},
                        id=resource["id"], url="seances.csv", url_type="upload",
                        upload=_upload("seances.csv", b"commune,seance\nGreasque,2025-11-02\n"),
                        update_modified="true")
    assert modified(dataset) == today()


def test_a_new_file_with_update_modified(dataset):
    helpers.call_action("resource_create", context={"user": dataset["user"]},
                        package_id=dataset["id"], url=LINK.replace(".csv", "-annexe.csv"),
                        format="CSV", update_modified=True)
    assert modified(dataset) == today()


def test_the_dataset_is_saved_once_for_both_changes(dataset):
    before = helpers.call_action("package_activity_list", id=dataset["id"])
    helpers.call_action("resource_patch", context={"user": dataset["user"]},
                        id=dataset["resources"][0]["id"], url=LINK.replace("2025", "2026"),
                        update_modified=True)
    after = helpers.call_action("package_activity_list", id=dataset["id"])
    assert len(after) == len(before) + 1
    assert after[0]["data"]["package"]["modified"] == today()
    assert after[0]["data"]["package"]["resources"][0]["url"] == LINK.replace("2025", "2026")


def test_a_bad_value_is_a_409_naming_the_parameter(app, dataset):
    token = helpers.call_action("api_token_create", context={"user": dataset["user"]},
                                user=dataset["user"], name="t")["token"]
    for value in ("peut-être", 3, {"a": 1}):
        error = app.post("/api/3/action/resource_patch", headers={"Authorization": token},
                         json={"id": dataset["resources"][0]["id"], "url": LINK + "?v=2",
                               "update_modified": value}, status=409).json["error"]
        assert error["update_modified"] == ["Doit valoir vrai ou faux (true ou false)"]
    assert modified(dataset) == OLD
    assert helpers.call_action("resource_show", id=dataset["resources"][0]["id"])["url"] == LINK


def test_the_form_proposes_it_ticked_and_applies_it(app, dataset):
    token = helpers.call_action("api_token_create", context={"user": dataset["user"]},
                                user=dataset["user"], name="t")["token"]
    resource = dataset["resources"][0]
    url = f"/dataset/{dataset['name']}/resource/{resource['id']}/edit"
    form = app.get(url, headers={"Authorization": token}).body
    assert 'name="update_modified" value="on" checked' in form
    assert "Mettre la date de mise à jour du jeu de données à aujourd'hui" in form
    fields = {"url": resource["url"], "name": "2025", "format": "CSV", "save": ""}
    # unticked: the date stays
    app.post(url, headers={"Authorization": token},
             data={**fields, "url": LINK.replace("2025", "2026")})
    assert modified(dataset) == OLD
    # ticked: today
    app.post(url, headers={"Authorization": token},
             data={**fields, "url": LINK.replace("2025", "2027"), "update_modified": "on"})
    assert modified(dataset) == today()
    assert helpers.call_action("resource_show", id=resource["id"])["url"] == \
        LINK.replace("2025", "2027")


def test_a_new_file_s_form_proposes_it_unticked(app, dataset):
    token = helpers.call_action("api_token_create", context={"user": dataset["user"]},
                                user=dataset["user"], name="t")["token"]
    form = app.get(f"/dataset/{dataset['name']}/resource/new",
                   headers={"Authorization": token}).body
    assert 'name="update_modified" value="on" aria-describedby' in form
    assert 'name="update_modified" value="on" checked' not in form


def test_an_uploaded_file_s_name_is_shown_in_a_labelled_box(app, dataset):
    resource = helpers.call_action(
        "resource_create", context={"user": dataset["user"]}, package_id=dataset["id"],
        url="seances.csv", url_type="upload", upload=_upload("seances.csv"))
    token = helpers.call_action("api_token_create", context={"user": dataset["user"]},
                                user=dataset["user"], name="t")["token"]
    form = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}/edit",
                   headers={"Authorization": token}).body
    assert '<label class="form-label" for="field-existing-upload">' in form
    assert '<input id="field-existing-upload" value="seances.csv" class="form-control" readonly>' \
        in form
    assert 'id="field-resource-upload"' in form  # a new file can still be sent
