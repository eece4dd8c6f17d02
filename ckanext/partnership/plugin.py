# -*- coding: utf-8 -*-
"""The ``partnership`` plugin: wiring only; the rules live in the modules."""
from __future__ import annotations

import os
from typing import Any

from ckan.common import CKANConfig

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultPermissionLabels, DefaultTranslation

from ckanext.partnership import accounts, mail, metadata, resource_checks, roles, workflow

HERE = os.path.dirname(__file__)


@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.cli
@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.validators
@tk.blanket.blueprints
class PartnershipPlugin(DefaultTranslation, DefaultPermissionLabels, p.SingletonPlugin):
    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITranslation)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.IAuthenticator, inherit=True)

    # IConfigurer
    def update_config(self, config: CKANConfig):
        tk.add_template_directory(config, "templates")
        if not config.get("licenses_group_url"):
            config["licenses_group_url"] = "file://" + os.path.join(HERE, "licenses.json")

    # IConfigurable
    def configure(self, config: CKANConfig):
        resource_checks.listen()
        mail.listen()
        resource_checks.standards()  # a broken catalogue fails at start-up

    # IPackageController
    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]):
        _add_harvest_fields(pkg_dict)
        _add_check_status(pkg_dict)

    def after_dataset_search(self, search_results: dict[str, Any], search_params: Any):
        results = search_results.get("results", [])
        for pkg_dict in results:
            _add_harvest_fields(pkg_dict)
        _add_check_status(*results)
        return search_results

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]):
        workflow.guard_stored(context, pkg_dict["id"])
        _check_publishable(pkg_dict)
        workflow.record_direct_publication(context, pkg_dict)
        resource_checks.queue_changed(pkg_dict["id"])

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]):
        workflow.guard_stored(context, pkg_dict["id"])
        _check_publishable(pkg_dict)
        workflow.record_direct_publication(context, pkg_dict)
        resource_checks.queue_changed(pkg_dict["id"])
        workflow.flag_if_failing(pkg_dict["id"])

    def after_dataset_delete(self, context: Any, data_dict: dict[str, Any]):
        workflow.deleting(context, data_dict.get("id") or "")

    # IPermissionLabels: validators read private datasets (search, activity)
    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        labels = super().get_dataset_labels(dataset_obj)
        return labels if "public" in labels else labels + [roles.VALIDATORS_LABEL]

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        labels = super().get_user_dataset_labels(user_obj)
        if user_obj and not user_obj.is_anonymous and roles.is_validator(user_obj.name):
            labels.append(roles.VALIDATORS_LABEL)
        return labels

    # IMiddleware
    def make_middleware(self, app: Any, config: Any):
        app.after_request(_declare_utf8)
        accounts.setup(app)
        return app

    # IAuthenticator: sessions a newer login superseded, remember-me cookies
    def identify(self):
        accounts.identify()


def _add_harvest_fields(pkg_dict: dict[str, Any]) -> None:
    """What harvesters and people read besides the schema's fields: the
    notices of 000 §16.3 and the extras data.gouv.fr's harvester reads."""
    pkg_dict["source_notice"] = metadata.source_notice(pkg_dict)
    pkg_dict["update_notice"] = metadata.update_notice(pkg_dict)
    mirrored = metadata.harvest_extras(pkg_dict)
    keys = {e["key"] for e in mirrored}
    extras = [e for e in pkg_dict.get("extras") or [] if e.get("key") not in keys]
    pkg_dict["extras"] = extras + mirrored
    for resource in pkg_dict.get("resources") or []:
        metadata.with_resource_keys(resource)


def _add_check_status(*pkg_dicts: dict[str, Any]) -> None:
    """Each resource's checks: status, time, standard (one query)."""
    ids = [p["id"] for p in pkg_dicts if p.get("id") and p.get("resources")]
    if not ids:
        return
    rows = resource_checks.statuses(*ids)
    for pkg_dict in pkg_dicts:
        for resource in pkg_dict.get("resources") or []:
            resource.update(resource_checks.resource_fields(rows.get(resource.get("id"))))


def _check_publishable(pkg_dict: dict[str, Any]) -> None:
    """A public dataset carries every required field; otherwise nothing is
    saved and the error names each missing field."""
    stored = model.Package.get(pkg_dict["id"])
    if stored is None or stored.private:
        return
    dataset = tk.get_action("package_show")(
        {"ignore_auth": True, "use_cache": False}, {"id": pkg_dict["id"]}
    )
    if dataset.get("private"):
        return
    missing = metadata.missing_fields(dataset)
    if missing:
        model.Session.rollback()
        raise tk.ValidationError(_publication_errors(missing))


def _publication_errors(missing: list[str]) -> dict[str, Any]:
    """The errors of a dataset that cannot be published, shaped as CKAN's
    forms show them: keywords under the form's field (tag_string), the
    coverage under the name of its first place."""
    message = tk._("Required to publish the dataset")
    errors: dict[str, Any] = {}
    for field in missing:
        if field == "tags":
            errors["tag_string"] = [message]
        elif field == "spatial_coverage":
            errors[field] = [{"text": [message]}]
        else:
            errors[field] = [message]
    return errors


_RDF_TYPES = ("text/turtle", "application/rdf+xml", "application/ld+json", "text/n3")


def _declare_utf8(response: Any) -> Any:
    """DCAT documents declare their charset, so that accents survive in
    every harvester."""
    mimetype = response.mimetype or ""
    if mimetype in _RDF_TYPES and "charset" not in (response.headers.get("Content-Type") or ""):
        response.headers["Content-Type"] = f"{mimetype}; charset=utf-8"
    return response
