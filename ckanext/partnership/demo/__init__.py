# -*- coding: utf-8 -*-
"""The demo portal's content: a host, three partners, one account per role,
datasets with CSV resources.

``load()`` is idempotent: an organisation, account or dataset that exists
already (by name) is left as it is, so running it again loses nothing that
was changed or added in between. Later features add their content here.
"""
from __future__ import annotations

import datetime as dt
import os
from typing import Any, Iterator

from dateutil.relativedelta import relativedelta

from werkzeug.datastructures import FileStorage

import ckan.model as model
import ckan.plugins.toolkit as tk

from ckanext.partnership.vocabularies import EU_FREQUENCY, EU_THEME

DATA = os.path.join(os.path.dirname(__file__), "data")

PASSWORD = "Partenariat-2026"

HOST = {
    "name": "region-sud",
    "title": "Région Sud",
    "status": "region",
    "siren": "231300021",
    "website": "https://www.maregionsud.fr",
    "opendata_email": "opendata@region-sud.exemple.fr",
    "description": (
        "La Région Sud Provence-Alpes-Côte d'Azur opère ce portail et y "
        "accueille les données des collectivités partenaires, sous convention "
        "de partenariat. Ses agents valident les publications."
    ),
}

# Three partners shaped on the agreements of the project's conventions:
# a Département (001), an EPCI (003) and a commune (004).
PARTNERS = [
    {
        "name": "departement-bouches-du-rhone",
        "title": "Département des Bouches-du-Rhône",
        "short": "cd13",
        "url": "https://www.departement13.fr",
        "status": "departement",
        "siren": "221300015",
        "missions": (
            "Solidarités (enfance, personnes âgées, handicap, insertion), "
            "collèges, routes départementales, soutien aux communes."
        ),
        "activities": (
            "Le Département ouvre les données de ses politiques publiques : "
            "collèges, subventions, aides sociales, voirie."
        ),
        "key_figures": "- 2 millions d'habitants\n- 119 communes\n- 136 collèges publics",
        "description": (
            "Le Département des Bouches-du-Rhône publie sur le portail ses "
            "données sur les collèges, les solidarités et les subventions, "
            "sous convention d'un an renouvelable tacitement."
        ),
    },
    {
        "name": "cc-vallee-de-l-herault",
        "title": "Communauté de communes Vallée de l'Hérault",
        "short": "ccvh",
        "url": "https://www.cc-vallee-herault.fr",
        "status": "epci",
        "siren": "243400694",
        "missions": (
            "Collecte et traitement des déchets, eau et assainissement, "
            "développement économique, tourisme."
        ),
        "activities": "Gestion des déchèteries et des points d'apport volontaire.",
        "key_figures": "- 28 communes\n- 40 000 habitants",
        "description": (
            "La Communauté de communes Vallée de l'Hérault (28 communes) "
            "publie ses données sur la collecte des déchets, l'eau et "
            "l'aménagement du territoire."
        ),
    },
    {
        "name": "ville-aix-en-provence",
        "title": "Ville d'Aix-en-Provence",
        "short": "aix",
        "url": "https://www.aixenprovence.fr",
        "status": "commune",
        "siren": "211300017",
        "missions": "État civil, écoles, culture, urbanisme, vie associative.",
        "activities": (
            "La Ville publie les délibérations de son conseil municipal et "
            "les données de l'état civil."
        ),
        "key_figures": "- 147 000 habitants\n- 186 km²",
        "description": (
            "La Ville d'Aix-en-Provence publie les délibérations de son "
            "conseil municipal, l'état civil et les données de la vie locale."
        ),
    },
]

# name, full name, role, organisation (None: no membership), capacity
ACCOUNTS: list[tuple[str, str, str, str | None, str | None]] = [
    ("admin", "Administrateur du portail", "sysadmin", None, None),
    ("validateur", "Claire Martin (Région Sud)", "validator", "region-sud", "editor"),
]
for _p in PARTNERS:
    ACCOUNTS.append(
        (
            f"{_p['short']}-publicateur",
            f"Publicateur – {_p['title']}",
            "publisher",
            _p["name"],
            "editor",
        )
    )
    ACCOUNTS.append(
        (
            f"{_p['short']}-producteur",
            f"Producteur – {_p['title']}",
            "producer",
            _p["name"],
            "editor",
        )
    )
ACCOUNTS.append(("citoyen", "Camille Durand", "public", None, None))

# A simplified outline of the commune of Aix-en-Provence (GeoJSON, WGS 84).
AIX_OUTLINE = (
    '{"type":"Polygon","coordinates":[[[5.2718,43.4735],[5.5512,43.4735],'
    '[5.5512,43.6247],[5.2718,43.6247],[5.2718,43.4735]]]}'
)

DATASETS: list[dict[str, Any]] = [
    {
        "name": "colleges-publics-bouches-du-rhone",
        "created": "2025-09-01",
        "modified": "2025-10-06",
        "theme": [EU_THEME + "EDUC"],
        "frequency": EU_FREQUENCY + "ANNUAL",
        "granularity": "adresse",
        "spatial_coverage": [{"text": "Bouches-du-Rhône", "code": "13"}],
        "temporal_coverage": [{"start": "2025-09-01", "end": "2026-07-04"}],
        "title": "Collèges publics des Bouches-du-Rhône",
        "owner_org": "departement-bouches-du-rhone",
        "notes": (
            "Liste des collèges publics du département avec leur identifiant "
            "UAI, leur commune, leurs effectifs à la rentrée 2025 et leur "
            "position géographique."
        ),
        "tags": ["éducation", "collèges", "équipements publics"],
        "license_id": "odc-odbl",
        "private": False,
        "resource": ("colleges-publics-13.csv", "Collèges publics – rentrée 2025"),
    },
    {
        "name": "subventions-associations-2025-cd13",
        "created": "2025-01-15",
        "modified": "2025-11-03",
        "theme": [EU_THEME + "ECON", EU_THEME + "GOVE"],
        "frequency": EU_FREQUENCY + "QUARTERLY",
        "granularity": "departement",
        "spatial_coverage": [{"text": "Bouches-du-Rhône", "code": "13"}],
        "temporal_coverage": [{"start": "2025-01-01", "end": "2025-12-31"}],
        "conforms_to": "https://schema.data.gouv.fr/schemas/scdl/subventions/latest/schema.json",
        "title": "Subventions versées aux associations en 2025",
        "owner_org": "departement-bouches-du-rhone",
        "notes": (
            "Subventions de plus de 23 000 € attribuées par le Département aux "
            "associations, au format du SCDL « Subventions »."
        ),
        "tags": ["subventions", "associations", "budget"],
        "license_id": "lov2",
        "private": False,
        "resource": (
            "subventions-associations-2025.csv",
            "Subventions aux associations 2025",
        ),
    },
    {
        "name": "points-apport-volontaire-vallee-herault",
        "created": "2024-03-12",
        "modified": "2025-09-22",
        "theme": [EU_THEME + "ENVI"],
        "frequency": EU_FREQUENCY + "AS_NEEDED",
        "granularity": "adresse",
        "spatial_coverage": [{"text": "Communauté de communes Vallée de l'Hérault", "code": "243400694"}],
        "title": "Points d'apport volontaire du tri sélectif",
        "owner_org": "cc-vallee-de-l-herault",
        "notes": (
            "Emplacement des conteneurs de tri (verre, emballages, papiers) "
            "sur les communes de la Vallée de l'Hérault."
        ),
        "tags": ["déchets", "tri sélectif", "environnement"],
        "license_id": "odc-odbl",
        "private": False,
        "resource": ("points-apport-volontaire.csv", "Points d'apport volontaire"),
    },
    {
        "name": "horaires-decheteries-vallee-herault",
        "created": "2024-03-12",
        "modified": "2025-06-30",
        "theme": [EU_THEME + "ENVI", EU_THEME + "GOVE"],
        "frequency": EU_FREQUENCY + "ANNUAL_2",
        "granularity": "adresse",
        "spatial_coverage": [{"text": "Communauté de communes Vallée de l'Hérault", "code": "243400694"}],
        "title": "Horaires d'ouverture des déchèteries",
        "owner_org": "cc-vallee-de-l-herault",
        "notes": "Jours et heures d'ouverture des déchèteries intercommunales.",
        "tags": ["déchets", "horaires"],
        "license_id": "lov2",
        "private": False,
        "resource": ("horaires-decheteries.csv", "Horaires des déchèteries"),
    },
    {
        "name": "prenoms-nouveaux-nes-aix-2025",
        "created": "2025-01-05",
        "modified": "2025-11-10",
        "theme": [EU_THEME + "SOCI"],
        "frequency": EU_FREQUENCY + "MONTHLY",
        "granularity": "commune",
        "spatial_coverage": [{"text": "Aix-en-Provence", "code": "13001", "uri": "https://geo.api.gouv.fr/communes/13001", "geom": AIX_OUTLINE}],
        "temporal_coverage": [{"start": "2025-01-01", "end": "2025-12-31"}],
        "conforms_to": "https://schema.data.gouv.fr/schemas/scdl/prenoms/latest/schema.json",
        "title": "Prénoms des nouveau-nés à Aix-en-Provence en 2025",
        "owner_org": "ville-aix-en-provence",
        "notes": (
            "Prénoms donnés aux enfants nés à Aix-en-Provence en 2025 et "
            "déclarés à l'état civil, au format du SCDL « Prénoms des "
            "nouveau-nés »."
        ),
        "tags": ["état civil", "prénoms", "naissances"],
        "license_id": "lov2",
        "private": False,
        "resource": ("prenoms-nouveaux-nes-2025.csv", "Prénoms 2025"),
    },
    {
        "name": "deliberations-conseil-municipal-aix-2025",
        "created": "2025-02-10",
        "modified": "2025-07-01",
        "theme": [EU_THEME + "GOVE"],
        "frequency": EU_FREQUENCY + "MONTHLY_2",
        "granularity": "commune",
        "spatial_coverage": [{"text": "Aix-en-Provence", "code": "13001", "uri": "https://geo.api.gouv.fr/communes/13001"}],
        "temporal_coverage": [{"start": "2025-01-01", "end": "2025-12-31"}],
        "conforms_to": "https://schema.data.gouv.fr/schemas/scdl/deliberations/latest/schema.json",
        "title": "Délibérations du conseil municipal en 2025",
        "owner_org": "ville-aix-en-provence",
        "notes": (
            "Délibérations adoptées par le conseil municipal en 2025, avec "
            "leur objet, leur matière et le résultat du vote."
        ),
        "tags": ["délibérations", "conseil municipal", "vie démocratique"],
        "license_id": "lov2",
        "private": False,
        "resource": (
            "deliberations-conseil-municipal-2025.csv",
            "Délibérations 2025",
        ),
    },
    {
        "name": "tarifs-stationnement-aix",
        "title": "Tarifs du stationnement payant (brouillon)",
        "owner_org": "ville-aix-en-provence",
        "notes": "Tarifs horaires par zone de stationnement, en préparation.",
        "tags": ["stationnement", "mobilité"],
        "license_id": "lov2",
        "private": True,
        "resource": ("tarifs-stationnement.csv", "Tarifs par zone"),
    },
]


def _site_context() -> dict[str, Any]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}


def _ensure_user(name: str, fullname: str, sysadmin: bool) -> bool:
    if model.User.get(name):
        return False
    tk.get_action("user_create")(
        _site_context(),
        {
            "name": name,
            "fullname": fullname,
            "email": f"{name}@demo.partenariat.invalid",
            "password": PASSWORD,
        },
    )
    if sysadmin:
        user = model.User.get(name)
        user.sysadmin = True
        model.Session.commit()
    return True


def _ensure_org(org: dict[str, Any]) -> bool:
    if model.Group.get(org["name"]):
        return False
    profile = {k: v for k, v in org.items() if k not in ("short", "url")}
    profile.setdefault("website", org.get("url"))
    profile.setdefault("opendata_email", f"opendata@{org.get('short', 'hote')}.exemple.fr")
    tk.get_action("organization_create")(_site_context(), profile)
    return True


def _ensure_dataset(spec: dict[str, Any], creator: str) -> bool:
    if model.Package.get(spec["name"]):
        return False
    filename, resource_name = spec["resource"]
    partner = next(p for p in PARTNERS if p["name"] == spec["owner_org"])
    data = {k: v for k, v in spec.items() if k not in ("resource", "tags")}
    data["tags"] = [{"name": t} for t in spec["tags"]]
    data.setdefault("url", partner["url"])
    data.setdefault("author", partner["title"])
    data.setdefault("maintainer", f"Service open data – {partner['title']}")
    data.setdefault("maintainer_email", f"opendata@{partner['short']}.exemple.fr")
    context = {"user": creator}
    dataset = tk.get_action("package_create")(context, data)
    with open(os.path.join(DATA, filename), "rb") as f:
        tk.get_action("resource_create")(
            {"user": creator},
            {
                "package_id": dataset["id"],
                "name": resource_name,
                "format": "CSV",
                "url": filename,
                "url_type": "upload",
                "upload": FileStorage(f, filename=filename, content_type="text/csv"),
            },
        )
    return True


def _agreements(today: dt.date) -> dict[str, dict[str, Any]]:
    """One agreement per partner, shaped on its convention. The EPCI's
    starts on the day that puts its notice deadline three weeks after the
    demo is loaded, so the calendar shows a deadline coming."""
    epci_period_end = today + relativedelta(months=1, days=21)
    return {
        "departement-bouches-du-rhone": {
            "reference": "DATASUD-2018-CD13",
            "title": "Convention de partenariat DataSud (001)",
            "signed_on": "2018-07-02", "effective_on": "2018-07-10",
            "term": "fixed", "initial_term_months": 12, "renewal": "tacit",
            "renewal_term_months": 12, "notice_months": 1, "end_policy": "withdraw",
        },
        "cc-vallee-de-l-herault": {
            "reference": "HERAULT-DATA-CCVH",
            "title": "Convention de partenariat Hérault Data (003)",
            "effective_on": (epci_period_end - relativedelta(months=24)).isoformat(),
            "term": "fixed", "initial_term_months": 12, "renewal": "tacit",
            "renewal_term_months": 12, "notice_months": 1, "end_policy": "keep",
        },
        "ville-aix-en-provence": {
            "reference": "DATASUD-2019-AIX",
            "title": "Convention de partenariat Open Paca (004)",
            "signed_on": "2019-12-19", "effective_on": "2019-12-19",
            "term": "fixed", "initial_term_months": 12, "renewal": "tacit",
            "renewal_term_months": 12, "notice_months": 1, "end_policy": "withdraw",
        },
    }


def _ensure_agreement(partner: dict[str, Any], terms: dict[str, Any]) -> bool:
    from ckanext.partnership import model as pmodel

    org = model.Group.get(partner["name"])
    if model.Session.query(pmodel.Agreement).filter_by(organization_id=org.id).count():
        return False
    short = partner["short"]
    agreement = tk.get_action("partnership_agreement_create")(_site_context(), {
        "organization": partner["name"],
        "state": "active",
        "publication_mode": "validated",
        "allowed_licenses": ["lov2", "odc-odbl"],
        "quota_records_per_dataset": 300000,
        "contacts": [
            {"role": "publisher", "user": f"{short}-publicateur", "since": terms["effective_on"]},
            {"role": "producer", "user": f"{short}-producteur", "since": terms["effective_on"]},
            {"role": "referent", "name": f"Référent open data – {partner['title']}",
             "email": f"referent@{short}.exemple.fr", "since": terms["effective_on"]},
            {"role": "host_referent", "user": "validateur", "since": terms["effective_on"]},
        ],
        **terms,
    })
    for planned in PLANNED[partner["name"]]:
        tk.get_action("partnership_planned_dataset_create")(
            _site_context(),
            {"agreement_id": agreement["id"],
             **{k: v for k, v in planned.items() if k != "link"}})
    for held_on, minutes in MEETINGS.get(partner["name"], []):
        tk.get_action("partnership_committee_meeting_create")(
            _site_context(), {"agreement_id": agreement["id"], "held_on": held_on,
                              "minutes": minutes})
    return True


SCDL = "https://schema.data.gouv.fr/schemas/scdl/{}/latest/schema.json"

# The annex of each agreement: what the partner promised. The datasets of
# the demo are linked once loaded (see load); the others are still to come.
PLANNED: dict[str, list[dict[str, Any]]] = {
    "departement-bouches-du-rhone": [
        {"title": "Subventions versées aux associations", "standard": SCDL.format("subventions"),
         "frequency": EU_FREQUENCY + "QUARTERLY", "link": "subventions-associations-2025-cd13"},
        {"title": "Marchés publics conclus", "standard": SCDL.format("decp"),
         "frequency": EU_FREQUENCY + "QUARTERLY"},
    ],
    "cc-vallee-de-l-herault": [
        {"title": "Points d'apport volontaire", "frequency": EU_FREQUENCY + "AS_NEEDED",
         "link": "points-apport-volontaire-vallee-herault"},
        {"title": "Équipements collectifs", "standard": SCDL.format("equipements"),
         "frequency": EU_FREQUENCY + "ANNUAL"},
    ],
    "ville-aix-en-provence": [
        {"title": "Prénoms des nouveau-nés", "standard": SCDL.format("prenoms"),
         "frequency": EU_FREQUENCY + "MONTHLY", "link": "prenoms-nouveaux-nes-aix-2025"},
        {"title": "Délibérations du conseil municipal", "standard": SCDL.format("deliberations"),
         "frequency": EU_FREQUENCY + "MONTHLY_2", "link": "deliberations-conseil-municipal-aix-2025"},
        {"title": "Menus des cantines scolaires", "standard": SCDL.format("menus-collectifs"),
         "frequency": EU_FREQUENCY + "WEEKLY"},
    ],
}

# Steering committee meetings (000 art. 12); Aix has none: a warning shows.
MEETINGS: dict[str, list[tuple[str, str]]] = {
    "departement-bouches-du-rhone": [
        ("2026-03-12", "Bilan annuel 2025 : 12 jeux de données publiés, 2 en préparation."),
    ],
    "cc-vallee-de-l-herault": [
        ("2026-06-18", "Bilan annuel ; calendrier des équipements collectifs."),
    ],
}


def _link_planned() -> Iterator[str]:
    """Link the planned datasets of the annexes to the demo datasets that
    now exist."""
    from ckanext.partnership import model as pmodel

    for planned_list in PLANNED.values():
        for planned in planned_list:
            if not planned.get("link"):
                continue
            pkg = model.Package.get(planned["link"])
            row = model.Session.query(pmodel.PlannedDataset).filter_by(
                title=planned["title"], package_id=None).first()
            if pkg and row:
                tk.get_action("partnership_planned_dataset_update")(
                    _site_context(), {"id": row.id, "package_id": pkg.id})
                yield f"planned dataset {planned['title']} linked"


def load() -> Iterator[str]:
    """Create what is missing of the demo content; yield a line per item
    created."""
    for name, fullname, role, _org, _cap in ACCOUNTS:
        if _ensure_user(name, fullname, role == "sysadmin"):
            yield f"account {name} ({role}) created"
    for org in [HOST, *PARTNERS]:
        if _ensure_org(org):
            yield f"organisation {org['name']} created"
    for name, _fullname, _role, org, capacity in ACCOUNTS:
        if org:
            # Idempotent: member_create updates an existing membership.
            tk.get_action("organization_member_create")(
                _site_context(), {"id": org, "username": name, "role": capacity}
            )
    agreements = _agreements(dt.date.today())
    for partner in PARTNERS:
        if _ensure_agreement(partner, agreements[partner["name"]]):
            yield f"agreement of {partner['name']} created"
    by_org = {p["name"]: f"{p['short']}-publicateur" for p in PARTNERS}
    for spec in DATASETS:
        if _ensure_dataset(spec, by_org[spec["owner_org"]]):
            yield f"dataset {spec['name']} created"
    yield from _link_planned()


def describe_accounts() -> str:
    """The demo accounts, for the person who starts the demo."""
    roles = {
        "sysadmin": "administrateur du site / sysadmin",
        "validator": "validateur (Région Sud)",
        "publisher": "publicateur",
        "producer": "producteur",
        "public": "public",
    }
    lines = [f"Comptes de démonstration (mot de passe : {PASSWORD})"]
    for name, _fullname, role, org, _cap in ACCOUNTS:
        where = f" – {org}" if org else ""
        lines.append(f"  {name:<22} {roles[role]}{where}")
    return "\n".join(lines)
