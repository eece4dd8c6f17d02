# -*- coding: utf-8 -*-
"""Template helpers, all prefixed ``partnership_``: every public function
here is one (CKAN's blanket discovery); each delegates to the package that
owns the rule."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.partnership import access, agreements, compliance, discussions, publication, resource_checks
from ckanext.partnership import model as pmodel
from ckanext.partnership.checks import inline
from ckanext.partnership.core import roles
from ckanext.partnership.core import language
from ckanext.partnership.core.language import ui_language
from ckanext.partnership.domain import metadata_rules, sla
from ckanext.partnership import metadata
from ckanext.partnership.domain.vocabularies import BY_NAME, label

_ = tk._


def partnership_partner_organizations(limit: int = 20) -> list[dict[str, Any]]:
    """The partner organisations (every organisation but the host's), by
    title, with their dataset counts."""
    orgs = tk.get_action("organization_list")(
        {}, {"all_fields": True, "sort": "title asc", "limit": limit + 1}
    )
    host = tk.config.get("ckanext.partnership.host_organization") or ""
    return [o for o in orgs if host not in (o["name"], o["id"])][:limit]


def partnership_choices(field: dict[str, Any]) -> list[dict[str, str]]:
    """The choices of a field whose schema names a ``partnership_vocabulary``,
    labelled in the page's language (scheming's ``choices_helper``)."""
    terms, _several = BY_NAME[field["partnership_vocabulary"]]
    lang = ui_language()
    return [{"value": t.value, "label": t.en if lang == "en" else t.fr} for t in terms]


def partnership_label(vocabulary: str, value: str) -> str:
    """The label of ``value`` in a vocabulary of the schemas
    (``partnership_vocabulary``), in the page's language."""
    return label(BY_NAME[vocabulary][0], value, ui_language())


def partnership_agreement_facts(organization_id: str) -> dict[str, Any] | None:
    """The public facts of an organisation's current agreement (reference,
    state, entry into force), or None."""
    try:
        return tk.get_action("partnership_agreement_show")(
            {"user": ""}, {"organization": organization_id}
        )
    except tk.ObjectNotFound:
        return None


def _user_name() -> str:
    return tk.current_user.name if tk.current_user.is_authenticated else ""


def partnership_is_validator() -> bool:
    """Whether the person browsing is one of the host's validators."""

    return roles.is_validator(_user_name())


def partnership_can_read_agreement(organization_id: str) -> bool:
    """Whether the person browsing reads the organisation's agreement in
    full: a validator or a member of the organisation."""

    return roles.is_validator(_user_name()) or roles.is_member(_user_name(), organization_id)


def partnership_planned_datasets(agreement_id: str) -> list[dict[str, Any]]:
    """The annex of an agreement (public), as the person browsing may read it."""
    return tk.get_action("partnership_planned_dataset_list")(
        {"user": _user_name()}, {"agreement_id": agreement_id})


def partnership_agreement_state_label(state: str) -> str:
    """``active`` → "in force"..."""
    return agreements.state_label(state)


def partnership_display_date(value: Any) -> str:
    """A date as JJ/MM/AAAA (000 §16.3)."""
    return metadata_rules.display_date(value)


def partnership_datetime(value: Any) -> str:
    """An instant as « 2 décembre 2026 à 07:41 (UTC) », as in the mail."""
    return language.instant(value)


def partnership_source_name(dataset: dict[str, Any]) -> str:
    """The partner a dataset comes from (its organisation's title)."""
    return metadata_rules.source_name(dataset)


def partnership_update_date(dataset: dict[str, Any]) -> str:
    """The date of the data's last update, as JJ/MM/AAAA."""
    return metadata_rules.display_date(metadata_rules.update_date(dataset))


def _standard_dict(standard: Any) -> dict[str, Any]:
    return {
        "name": standard.name,
        "title": standard.title,
        "version": standard.version,
        "url": standard.url,
        "latest_url": standard.latest_url,
        "label": tk._("{title}, version {version}").format(
            title=standard.title, version=standard.version
        ) if standard.version else standard.title,
    }


def partnership_standards() -> list[dict[str, Any]]:
    """The standards of the catalogue, by title: ``name``, ``title``,
    ``version``, ``url`` (of that version), ``latest_url`` and ``label``
    (title and version, for the form's list)."""
    found = [_standard_dict(s) for s in resource_checks.standards()]
    return sorted(found, key=lambda s: (s["title"].casefold(), s["name"]))


def partnership_standard(ref: Any) -> dict[str, Any] | None:
    """The catalogue's standard that ``ref`` names (a catalogue name or one
    of its URLs), as ``partnership_standards`` gives them, or None."""
    standard = resource_checks.standards().resolve(ref)
    return _standard_dict(standard) if standard else None


def partnership_inline_schema(value: Any) -> str:
    """The Table Schema a resource holds (its ``schema`` as package_show
    gives it, or as a form sent it), as indented JSON for the form's text
    area; '' when ``value`` names a standard instead."""
    return inline.display_text(value)


def partnership_data_dictionary(resource: dict[str, Any]) -> list[dict[str, str]]:
    """The columns a resource's data dictionary describes (000 §10.1.2),
    for its page; [] for none."""
    return metadata.data_dictionary_of(resource or {})


def partnership_data_dictionary_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of the data dictionary in the resource form: as stored,
    or as typed when the form comes back with an error."""
    return metadata.data_dictionary_form_rows(data or {})


def partnership_data_dictionary_types(field: Any = None) -> list[dict[str, str]]:
    """The column types of the data dictionary (scheming ``choices_helper``)."""
    return metadata.data_dictionary_types()


def partnership_data_dictionary_type_label(value: str) -> str:
    """A column type as the resource page names it."""
    return next((c["label"] for c in metadata.data_dictionary_types() if c["value"] == value), value)


def partnership_data_dictionary_schema_url(package_id: str, resource_id: str) -> str:
    """The address of a resource's data dictionary as a Table Schema."""
    return metadata.data_dictionary_schema_url(package_id, resource_id)


def partnership_dataset_standard(package_id: Any) -> str:
    """The data standard (``conforms_to``) of a dataset, '' if it has none
    or cannot be read: what its resources follow unless they name theirs."""
    if not package_id:
        return ""
    try:
        dataset = tk.get_action("package_show")({}, {"id": package_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return ""
    return (dataset.get("conforms_to") or "").strip()


def partnership_check_title(name: str) -> str:
    """The title of a resource check (``schema`` → "Data standard")."""
    return resource_checks.check_title(name)


def partnership_check_status_label(status: str) -> str:
    """``failure`` → "Failed", ``pending`` → "Being checked"..."""
    return resource_checks.status_label(status)


def partnership_check_finding(finding: dict[str, Any]) -> dict[str, Any]:
    """A finding told to people: ``{message, advice, rows, more, severity}``."""
    return resource_checks.describe(finding)


def partnership_check_findings(check: dict[str, Any]) -> list[dict[str, Any]]:
    """The findings of one check told to people, bounded; the last one of
    a code with findings left out gives their number in ``omitted``."""
    return resource_checks.describe_check(check)


def partnership_publication_check_title(code: str) -> str:
    """The title of a publication check (``metadata`` → "Required metadata")."""
    return publication.check_title(code)


def partnership_reason_label(code: str) -> str:
    """A refusal reason with its article: "Personal data (GDPR) (§2.3)"."""
    return publication.reason_label(code)


def partnership_request_status_label(status: str) -> str:
    """A publication request's status: "Waiting for validation", "Approved"..."""
    return publication.status_label(status)


def partnership_duration(seconds: Any) -> str:
    """A duration as people read it: "1 d 4 h", "3 h 20 min", whatever its
    sign."""

    if seconds is None:
        return ""
    days, hours, minutes = sla.split_duration(int(seconds))
    if days:
        return _("{days} d {hours} h").format(days=days, hours=hours)
    if hours:
        return _("{hours} h {minutes} min").format(hours=hours, minutes=minutes)
    return _("{minutes} min").format(minutes=minutes)


def partnership_dataset_publication(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """What the dataset page says of the publication, to those who follow
    it (the partner's members, the validators); None for anyone else or
    outside an agreement: ``{pending, flags, may_publish, mode}``."""
    import ckan.model as model


    org_id = pkg_dict.get("owner_org")
    agreement = pmodel.agreement_in_force(org_id)
    user = _user_name()
    if agreement is None or not (roles.is_validator(user) or roles.is_member(user, org_id)):
        return None
    pending = publication.pending_request(pkg_dict["id"])
    package = model.Package.get(pkg_dict["id"])
    return {
        "pending": publication.request_dict(pending) if pending else None,
        "flags": publication.checks_out(publication.flags(pkg_dict["id"]))
        if package is not None and not package.private else [],
        "may_publish": roles.may_publish(user, org_id),
        "mode": agreement.publication_mode,
    }


def partnership_publish_hint(organization_id: str) -> str:
    """Who publishes the organisation's datasets, for someone who may not."""

    agreement = pmodel.agreement_in_force(organization_id)
    return roles._only_publisher(agreement, organization_id) if agreement else ""


def partnership_render_comment(body: str) -> Any:
    """A comment's Markdown, rendered safely (no raw HTML, links
    ``rel="nofollow ugc"``)."""
    return discussions.render(body)


def partnership_comment_threads(pkg_dict: dict[str, Any]) -> list[dict[str, Any]]:
    """The threads of a published dataset, as the person browsing may read
    them: the page ``?page=`` of them, oldest first, with its pager
    (``threads.pager()``, ``threads.item_count``)."""
    return discussions.dataset_page_threads(pkg_dict, _user_name())


def partnership_thread_state_label(state: str) -> str:
    """``overdue`` → "Answer overdue"..."""
    return discussions.state_label(state)


def partnership_close_reason_label(reason: str) -> str:
    """``abuse`` → "Hidden as abuse"..."""
    return discussions.close_reason_label(reason)


def partnership_follows_threads() -> bool:
    """Whether the person browsing answers discussions: a member of an
    organisation, or a validator."""
    import ckan.model as model

    user = _user_name()
    if not user:
        return False
    account = model.User.get(user)
    return roles.is_validator(user) or bool(account and account.get_groups("organization"))


def partnership_comment_sla_hours(organization_id: str) -> int:
    """Within how many hours the partner answers (its agreement's)."""
    return discussions.sla_hours(organization_id) if organization_id else \
        discussions.DEFAULT_SLA_HOURS


def partnership_deadline_label(kind: str) -> str:
    """``notice_deadline`` → "Last day to give notice"... (the dashboard's
    agreement deadlines)."""
    return {"notice_deadline": _("Last day to give notice"),
            "next_renewal_on": _("Tacit renewal"),
            "final_end": _("End of the agreement")}.get(kind, kind)


def partnership_dataset_compliance(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """The dataset's freshness and label as the page shows them, with the
    badges' texts: the action's answer plus ``freshness_badge`` and
    ``label_badge``; None when the reader may not see it."""
    try:
        found = tk.get_action("partnership_dataset_compliance")(
            {"user": _user_name()}, {"id": pkg_dict["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    fresh = found["freshness"]
    return {**found,
            "freshness_badge": compliance.freshness_badge(fresh["state"], fresh["days_late"]),
            "label_badge": compliance.label_badge(found["label"]["score"])}


def partnership_criterion_title(code: str) -> str:
    """The name of an open-data label criterion, translated."""
    return compliance.title(code)


def partnership_criterion_status_label(status: str) -> str:
    """« Rempli », « Non rempli », « À établir », « Sans objet »."""
    return compliance.status_label(status)


def partnership_this_year() -> int:
    """This year, as the portal's clock says (the annual review's links)."""
    return pmodel.now().year


def partnership_dataset_access(pkg_dict: dict[str, Any]) -> dict[str, Any] | None:
    """For a published restricted-access dataset's pages: whether the
    reader downloads its files, manages their access, or waits for an
    answer; None for any other dataset (one query, two for a signed-in
    user who may not download)."""
    from ckanext.partnership.domain import access as rules
    if pkg_dict.get("private") or not rules.dataset_restricted(pkg_dict):
        return None
    name = _user_name()
    reader = access.reader(name)
    owner = pkg_dict.get("owner_org")
    out = {"may_download": reader.may_download(pkg_dict["id"], owner),
           "manages": reader.manages(owner), "logged_in": bool(name), "pending": None}
    if name and not out["may_download"]:
        mine = tk.get_action("partnership_access_request_list")(
            {"user": name}, {"package_id": pkg_dict["id"], "state": "pending", "limit": 1})
        out["pending"] = mine[0] if mine else None
    return out


def partnership_access_state_label(state: str) -> str:
    return {"pending": _("Waiting for the partner's answer"), "granted": _("Granted"),
            "refused": _("Refused")}.get(state, state)
