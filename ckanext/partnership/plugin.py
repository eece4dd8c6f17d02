# -*- coding: utf-8 -*-
"""The ``partnership`` plugin: a table of contents, one line per hook; what
each does lives in the package it calls."""
from __future__ import annotations

import os
from typing import Any

from ckan.common import CKANConfig

import ckan.model as model
import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.lib.plugins import DefaultPermissionLabels, DefaultTranslation

from ckanext.partnership import (access, accounts, compliance, metadata, publication, resource_checks,
                                 subscriptions)
from ckanext.partnership.core import roles, transactions
from ckanext.partnership.logic import action

HERE = os.path.dirname(__file__)


@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.cli
@tk.blanket.actions(action.get_actions)
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
    p.implements(p.ISignal)

    # IConfigurer
    def update_config(self, config: CKANConfig):
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "partnership")
        if not config.get("licenses_group_url"):
            config["licenses_group_url"] = "file://" + os.path.join(HERE, "licenses.json")
        # Avatars work offline: a user without an uploaded image gets CKAN's
        # local placeholder, never an image from gravatar.com.
        config["ckan.gravatar_default"] = "disabled"

    # IConfigurable
    def configure(self, config: CKANConfig):
        subscriptions.listen_after_commit()
        resource_checks.standards()  # a broken catalogue fails at start-up

    # IPackageController
    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]):
        subscriptions.dataset_shown(context, pkg_dict)
        access.scrub_shown(context, pkg_dict)  # restricted files: the portal's route

    def before_dataset_search(self, search_params: dict[str, Any]):
        return access.search_params(search_params)  # no raw addresses through ``fl``

    def after_dataset_search(self, search_results: dict[str, Any], search_params: Any):
        subscriptions.datasets_read(*search_results.get("results", []))
        access.scrub_results(search_results.get("results", []))
        return search_results

    def before_dataset_index(self, pkg_dict: dict[str, Any]):
        return access.index(pkg_dict)  # a restricted dataset's addresses unindexed

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]):
        subscriptions.dataset_saved(context, pkg_dict, created=True)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]):
        subscriptions.dataset_saved(context, pkg_dict, created=False)

    def after_dataset_delete(self, context: Any, data_dict: dict[str, Any]):
        publication.deleting(context, data_dict.get("id") or "")

    # IPermissionLabels: validators read private datasets (search, activity)
    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        return roles.dataset_labels(super().get_dataset_labels(dataset_obj))

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        return roles.user_labels(super().get_user_dataset_labels(user_obj), user_obj)

    # IMiddleware
    def make_middleware(self, app: Any, config: Any):
        app.after_request(metadata.declare_utf8)
        app.before_request(access.before_request)  # restricted files: 403, or logged
        compliance.count_api_calls(app)
        accounts.setup(app)
        transactions.setup(app)  # no request leaves its transaction open
        return app

    # IAuthenticator: sessions a newer login superseded (remember-me cookies:
    # accounts.setup, at Flask-Login's user_accessed)
    def identify(self):
        accounts.identify()

    # ISignal: what reacts to what
    def get_signal_subscriptions(self):
        return subscriptions.get_subscriptions()
