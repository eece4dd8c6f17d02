# -*- coding: utf-8 -*-
"""The demo portal's content: a host, three partners, one account per role,
datasets with CSV resources (and a report in PDF only), the history of the
host's decisions on the published ones, a queue of datasets waiting for a
decision, the public's comments and contact messages with the partners'
answers, and each state of the datasets' compliance.

``load()`` is idempotent: an organisation, account or dataset that exists
already (by name) is left as it is, a dataset that has publication
requests or comment threads gets no other (nor does a partner that has
contact messages), so running it again loses nothing that was changed or
added in between. A demo file or description still as an earlier version
of the demo shipped it is replaced by the current one. Later features add
their content here.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
from types import SimpleNamespace
from typing import Any, Iterator, NamedTuple, cast

from dateutil.relativedelta import relativedelta

from werkzeug.datastructures import FileStorage

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.lib import uploader
from ckan.lib.plugins import get_permission_labels

from ckanext.partnership import discussions, publication, resource_checks
from ckanext.partnership import model as pmodel
from ckanext.partnership.core import roles
from ckanext.partnership.domain import publication_rules, sla
from ckanext.partnership.domain.vocabularies import (
    EU_ACCESS_RIGHT, EU_FREQUENCY, EU_THEME, INSPIRE_LIMITATION,
)

from . import year

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
ACCOUNTS.append(("journaliste", "Léa Rousseau, journaliste", "public", None, None))

# A simplified outline of the commune of Aix-en-Provence (GeoJSON, WGS 84).
AIX_OUTLINE = (
    '{"type":"Polygon","coordinates":[[[5.2718,43.4735],[5.5512,43.4735],'
    '[5.5512,43.6247],[5.2718,43.6247],[5.2718,43.4735]]]}'
)

# Every demo file passes the checks of its standard but one: the public
# example below, which says so in its description, so that a newcomer sees
# the checks' report on purpose (a column of the standard missing, a month
# where a year is expected, a code outside the standard's list).
FAILING_EXAMPLE = "prenoms-nouveaux-nes-aix-2025"
EXAMPLE_LABEL = (
    "Exemple : ce jeu de données contient volontairement des erreurs pour "
    "montrer le rapport de vérification (la colonne COLL_INSEE du standard "
    "manque, une année est écrite « 2025-12 », un sexe « G » au lieu de « M »)."
)

# The compliance states each show on a public dataset's page (see README,
# ``make demo``): fresh (the collèges, the subventions), late (the Aix
# first names: monthly, last updated 60 days before the load), not
# applicable (the points d'apport volontaire, updated « lorsque
# nécessaire »), the label granted (the subventions: 10/10, their
# completeness declared by the publisher, LABEL_DECLARATIONS) and a failing
# criterion (the EPCI's report, a PDF only: not machine-readable, which its
# description says). ``updated_days_ago`` dates the dataset's ``modified``
# and its file's ``last_modified`` that many days before the load, so that
# the states hold whatever the day the demo is loaded.
LATE_EXAMPLE = "prenoms-nouveaux-nes-aix-2025"
LABEL_GRANTED = "subventions-associations-2025-cd13"
NOT_APPLICABLE_EXAMPLE = "points-apport-volontaire-vallee-herault"
PDF_EXAMPLE = "rapport-dechets-2025-vallee-herault"
PDF_EXAMPLE_LABEL = (
    "Exemple : ce rapport n'est publié qu'en PDF, un document fait pour être "
    "lu et non des données qu'une machine peut traiter : le critère « lisible "
    "par une machine » du label open data n'est pas rempli. Les tonnages "
    "mensuels de déchets collectés sont en cours de publication au format CSV."
)

# The restricted-access example (004 §7.1): a journalist's request for its
# file waits for the Ville's answer (ACCESS_REQUEST).
RESTRICTED_EXAMPLE = "demandes-logement-social-aix-2025"
ACCESS_REQUEST = (
    "journaliste",
    "Enquête sur les délais d'attribution des logements sociaux à Aix-en-Provence, "
    "pour un article : je n'en publierai que des totaux par quartier.",
)

DATASETS: list[dict[str, Any]] = [
    {
        "name": "colleges-publics-bouches-du-rhone",
        "created": "2025-09-01",
        "updated_days_ago": 9,
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
        "updated_days_ago": 20,
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
        "updated_days_ago": 95,
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
        "updated_days_ago": 40,
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
        # a file without a data standard, described column by column
        # (000 §10.1.2)
        "dictionary": [
            {"name": "decheterie", "type": "string",
             "description": "Nom de la déchèterie intercommunale"},
            {"name": "commune", "type": "string",
             "description": "Commune où se trouve la déchèterie"},
            {"name": "jour", "type": "string",
             "description": "Jour de la semaine, en minuscules (lundi à dimanche)"},
            {"name": "ouverture", "type": "string", "unit": "HH:MM",
             "description": "Heure d'ouverture, heure locale"},
            {"name": "fermeture", "type": "string", "unit": "HH:MM",
             "description": "Heure de fermeture, heure locale"},
        ],
    },
    {
        "name": PDF_EXAMPLE,
        "created": "2026-06-26",
        "updated_days_ago": 25,
        "theme": [EU_THEME + "ENVI"],
        "frequency": EU_FREQUENCY + "ANNUAL",
        "granularity": "epci",
        "spatial_coverage": [{"text": "Communauté de communes Vallée de l'Hérault", "code": "243400694"}],
        "temporal_coverage": [{"start": "2025-01-01", "end": "2025-12-31"}],
        "title": "Rapport annuel 2025 sur le service public des déchets",
        "owner_org": "cc-vallee-de-l-herault",
        "notes": (
            PDF_EXAMPLE_LABEL + "\n\n"
            "Rapport annuel sur le prix et la qualité du service public de "
            "prévention et de gestion des déchets ménagers et assimilés en "
            "2025, présenté au conseil communautaire : tonnages collectés et "
            "coût du service."
        ),
        "tags": ["déchets", "rapport annuel", "environnement"],
        "license_id": "lov2",
        "private": False,
        "resource": ("rapport-dechets-2025-vallee-herault.pdf", "Rapport annuel 2025 (PDF)"),
    },
    {
        "name": "prenoms-nouveaux-nes-aix-2025",
        "created": "2025-01-05",
        "updated_days_ago": 60,
        "theme": [EU_THEME + "SOCI"],
        "frequency": EU_FREQUENCY + "MONTHLY",
        "granularity": "commune",
        "spatial_coverage": [{"text": "Aix-en-Provence", "code": "13001", "uri": "https://geo.api.gouv.fr/communes/13001", "geom": AIX_OUTLINE}],
        "temporal_coverage": [{"start": "2025-01-01", "end": "2025-12-31"}],
        "conforms_to": "https://schema.data.gouv.fr/schemas/scdl/prenoms/latest/schema.json",
        "title": "Prénoms des nouveau-nés à Aix-en-Provence en 2025",
        "owner_org": "ville-aix-en-provence",
        "notes": (
            EXAMPLE_LABEL + "\n\n"
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
        # restricted-access data (004 §7.1): described in the open, its
        # file served to the accounts the Ville allows (RESTRICTED_EXAMPLE)
        "name": RESTRICTED_EXAMPLE,
        "created": "2025-02-01",
        "updated_days_ago": 12,
        "theme": [EU_THEME + "SOCI"],
        "frequency": EU_FREQUENCY + "ANNUAL",
        "granularity": "iris",
        "spatial_coverage": [{"text": "Aix-en-Provence", "code": "13001", "uri": "https://geo.api.gouv.fr/communes/13001"}],
        "temporal_coverage": [{"start": "2025-01-01", "end": "2025-12-31"}],
        "title": "Demandes de logement social déposées en 2025 (fichier détaillé)",
        "owner_org": "ville-aix-en-provence",
        "notes": (
            "Une ligne par demande de logement social déposée à Aix-en-Provence "
            "en 2025 : mois du dépôt, quartier et typologie souhaités, taille du "
            "foyer, tranche de ressources, ancienneté et motif de la demande. "
            "Même sans nom, ces lignes permettent de reconnaître des foyers : le "
            "fichier est sur accès restreint et sa diffusion est réservée aux "
            "comptes que la Ville autorise (chercheurs, bailleurs, services de "
            "l'État). Demandez l'accès depuis cette page en disant pourquoi."
        ),
        "tags": ["logement social", "habitat", "demandes"],
        "license_id": "other-closed",
        "access_rights": EU_ACCESS_RIGHT + "RESTRICTED",
        "access_restriction": INSPIRE_LIMITATION + "f",  # personal data
        "private": False,
        "resource": ("demandes-logement-social-aix-2025.csv", "Demandes 2025"),
    },
    {
        "name": "tarifs-stationnement-aix",
        "created": "2025-11-03",
        "modified": "2025-11-20",
        "theme": [EU_THEME + "TRAN"],
        "frequency": EU_FREQUENCY + "ANNUAL",
        "granularity": "commune",
        "spatial_coverage": [{"text": "Aix-en-Provence", "code": "13001", "uri": "https://geo.api.gouv.fr/communes/13001"}],
        "temporal_coverage": [{"start": "2026-01-01", "end": "2026-12-31"}],
        "title": "Tarifs du stationnement payant (brouillon)",
        "owner_org": "ville-aix-en-provence",
        "notes": "Tarifs horaires par zone de stationnement, en préparation.",
        "tags": ["stationnement", "mobilité"],
        "license_id": "lov2",
        "private": True,
        "resource": ("tarifs-stationnement.csv", "Tarifs par zone"),
    },
    # The validators' queue: complete, private, submitted (see QUEUE).
    {
        "name": "comptages-routiers-bouches-du-rhone-2024",
        "created": "2025-06-02",
        "modified": "2025-11-14",
        "theme": [EU_THEME + "TRAN"],
        "frequency": EU_FREQUENCY + "ANNUAL",
        "granularity": "adresse",
        "spatial_coverage": [{"text": "Bouches-du-Rhône", "code": "13"}],
        "temporal_coverage": [{"start": "2024-01-01", "end": "2024-12-31"}],
        "title": "Comptages routiers sur les routes départementales en 2024",
        "owner_org": "departement-bouches-du-rhone",
        "notes": (
            "Trafic moyen journalier annuel (TMJA) et part des poids lourds "
            "mesurés en 2024 aux points de comptage permanents du réseau "
            "routier départemental."
        ),
        "tags": ["routes", "trafic", "mobilité"],
        "license_id": "lov2",
        "private": True,
        "resource": ("comptages-routiers-13.csv", "Comptages routiers 2024"),
    },
    {
        "name": "tonnages-dechets-vallee-herault-2025",
        "created": "2025-02-03",
        "modified": "2025-10-06",
        "theme": [EU_THEME + "ENVI"],
        "frequency": EU_FREQUENCY + "MONTHLY",
        "granularity": "epci",
        "spatial_coverage": [{"text": "Communauté de communes Vallée de l'Hérault", "code": "243400694"}],
        "temporal_coverage": [{"start": "2025-07-01", "end": "2025-09-30"}],
        "title": "Tonnages mensuels de déchets collectés",
        "owner_org": "cc-vallee-de-l-herault",
        "notes": (
            "Tonnes de déchets collectées chaque mois sur les 28 communes, "
            "par flux : ordures ménagères résiduelles, emballages, verre et "
            "papiers (troisième trimestre 2025)."
        ),
        "tags": ["déchets", "collecte", "environnement"],
        "license_id": "lov2",
        "private": True,
        "resource": ("tonnages-dechets-2025.csv", "Tonnages collectés – 3e trimestre 2025"),
    },
    {
        "name": "menus-restaurants-scolaires-aix",
        "created": "2025-10-27",
        "modified": "2025-11-24",
        "theme": [EU_THEME + "EDUC", EU_THEME + "AGRI"],
        "frequency": EU_FREQUENCY + "WEEKLY",
        "granularity": "commune",
        "spatial_coverage": [{"text": "Aix-en-Provence", "code": "13001", "uri": "https://geo.api.gouv.fr/communes/13001"}],
        "temporal_coverage": [{"start": "2025-11-17", "end": "2025-11-21"}],
        "title": "Menus des restaurants scolaires",
        "owner_org": "ville-aix-en-provence",
        "notes": (
            "Menus servis dans les restaurants scolaires des écoles "
            "maternelles et élémentaires de la Ville, semaine par semaine, "
            "avec la mention des produits issus de l'agriculture biologique."
        ),
        "tags": ["restauration scolaire", "écoles", "alimentation"],
        "license_id": "lov2",
        "private": True,
        "resource": ("menus-restaurants-scolaires-aix.csv", "Menus – semaine du 17 novembre 2025"),
    },
]


class Decision(NamedTuple):
    """A past step of the host's validation of a demo dataset."""

    dataset: str
    days_ago: int  # the day its publisher submitted it, before the load
    hours: float  # how long the host took to decide (the agreements say 48)
    reasons: tuple[str, ...] = ()  # a refusal's; none: approved
    message: str = ""


# The decisions behind the public datasets, oldest first: each was approved
# by the validator, some after a refusal, a few after the 48 hours (the
# figures page shows both).
HISTORY: list[Decision] = [
    # the first half of the year: drafts the host sent back
    Decision("colleges-publics-bouches-du-rhone", 318, 20.5, ("metadata",),
             "La date de la dernière mise à jour et la couverture temporelle manquent."),
    Decision("colleges-publics-bouches-du-rhone", 262, 55.0, ("licence",),
             "Les effectifs viennent du rectorat : indiquez la licence sous laquelle il "
             "vous les a transmis."),
    Decision("subventions-associations-2025-cd13", 296, 30.2, ("standard",),
             "Le fichier ne suit pas le modèle SCDL « Subventions » : la colonne "
             "idAttribuant manque."),
    Decision("subventions-associations-2025-cd13", 212, 18.7, ("personal_data",),
             "Des bénéficiaires sont des personnes physiques : retirez leurs noms."),
    Decision("points-apport-volontaire-vallee-herault", 281, 9.5, ("metadata",),
             "Le titre ne dit pas de quel territoire il s'agit."),
    Decision("horaires-decheteries-vallee-herault", 236, 64.0, ("metadata",),
             "Précisez la fréquence de mise à jour : les horaires changent deux fois l'an."),
    Decision("horaires-decheteries-vallee-herault", 178, 11.3, ("standard",),
             "Le fichier ne suit pas le modèle des horaires d'ouverture annoncé."),
    Decision("deliberations-conseil-municipal-aix-2025", 246, 26.0, ("intellectual_property",),
             "Les annexes reprennent des plans d'un cabinet d'architectes : retirez-les "
             "ou joignez son accord."),
    Decision(PDF_EXAMPLE, 190, 40.5, ("metadata",),
             "Le rapport n'a pas de description : dites ce qu'il contient."),
    Decision("colleges-publics-bouches-du-rhone", 150, 23.3, ("metadata",),
             "Les colonnes du fichier ne sont pas décrites. Précisez dans la "
             "description ce que contiennent l'identifiant UAI et les effectifs."),
    Decision("colleges-publics-bouches-du-rhone", 143, 26.1),
    Decision("subventions-associations-2025-cd13", 126, 53.2),
    Decision("points-apport-volontaire-vallee-herault", 108, 29.8, ("licence",),
             "Les emplacements sont repris d'OpenStreetMap : la Licence Ouverte "
             "ne peut pas s'appliquer, publiez-les sous licence ODbL."),
    Decision("points-apport-volontaire-vallee-herault", 101, 6.4),
    Decision("horaires-decheteries-vallee-herault", 87, 70.5),
    Decision("prenoms-nouveaux-nes-aix-2025", 205, 31.5, ("personal_data",),
             "Des prénoms donnés à moins de trois enfants permettent de "
             "reconnaître des familles : regroupez-les sous « Autres prénoms »."),
    Decision("prenoms-nouveaux-nes-aix-2025", 198, 24.8),
    Decision("deliberations-conseil-municipal-aix-2025", 33, 51.5, ("standard",),
             "Le fichier ne suit pas le modèle SCDL « Délibérations » annoncé : "
             "reprenez les noms de colonnes du schéma (COLL_NOM, DELIB_ID…)."),
    Decision("deliberations-conseil-municipal-aix-2025", 26, 5.2),
    Decision(PDF_EXAMPLE, 22, 19.5),
    Decision(RESTRICTED_EXAMPLE, 64, 21.0, ("personal_data",),
             "Même sans nom, une ligne par demande permet de reconnaître des foyers : "
             "ce fichier ne peut pas être une donnée ouverte. Publiez-le sur accès "
             "restreint, en indiquant le motif de la restriction."),
    Decision(RESTRICTED_EXAMPLE, 57, 26.5),
]

# What only the partner can say of a dataset's label (000 annex 3),
# declared at the first load by its publisher through the action, as the
# label page's form does: criterion, status, why.
LABEL_DECLARATIONS: dict[str, list[tuple[str, str, str]]] = {
    LABEL_GRANTED: [
        ("complete", "pass",
         "Toutes les subventions de plus de 23 000 € votées en 2025 par la "
         "commission permanente figurent dans le fichier."),
    ],
}

# The queue: private datasets their publisher submitted this many hours
# before the load. The first is overdue, the second has less than 12 hours
# left (its reminder is due); LIVE_SUBMISSION is the third.
QUEUE: dict[str, int] = {
    "comptages-routiers-bouches-du-rhone-2024": 60,
    "tonnages-dechets-vallee-herault-2025": 40,
}

# Taken at the first load through the actions, as a person takes them in the
# portal, so that their mail is sent (`make mail` shows it): the publisher
# submits LIVE_SUBMISSION (the validators are told), and submits the draft of
# LIVE_REFUSAL, which the validator refuses (the publisher is told why).
LIVE_SUBMISSION = "menus-restaurants-scolaires-aix"
LIVE_REFUSAL = Decision(
    "tarifs-stationnement-aix", 0, 0, ("metadata",),
    "Ces tarifs ne sont pas encore votés : la description doit dire à partir de "
    "quelle date ils s'appliquent, et le titre ne plus porter « brouillon ».")




class Said(NamedTuple):
    """A message of a demo thread."""

    author: str  # a demo account
    hours_ago: float  # before the load
    body: str


class Discussion(NamedTuple):
    """A demo thread: comments on a public dataset, or (``dataset`` None) a
    message of the contact form to ``organization``, from someone with no
    account."""

    dataset: str | None
    messages: tuple[Said, ...]
    organization: str | None = None
    subject: str | None = None
    sender: tuple[str, str] | None = None  # name, e-mail


# The public's questions and the partners' answers, whose deadline is 48
# hours (000 §10.1.3): answered on time, answered late, awaiting with less
# than 12 hours left (its reminder is due), overdue, and a contact message
# awaiting. Messages by a partner's member are its answers.
DISCUSSIONS: list[Discussion] = [
    Discussion("prenoms-nouveaux-nes-aix-2025", (
        Said("citoyen", 400, "Bonjour, merci pour ce jeu de données. Les prénoms donnés "
             "moins de trois fois sont-ils regroupés quelque part ? Le total de l'année ne "
             "correspond pas au nombre de naissances publié par l'Insee."),
        Said("aix-publicateur", 381, "Bonjour, oui : pour protéger les familles, les "
             "prénoms donnés à moins de trois enfants sont regroupés sous « Autres "
             "prénoms ». L'écart avec l'Insee vient des enfants nés à Aix dont les parents "
             "habitent une autre commune : l'Insee les compte dans la commune du domicile."),
    )),
    Discussion("prenoms-nouveaux-nes-aix-2025", (
        Said("journaliste", 55, "Bonjour, je prépare un article sur les prénoms les plus "
             "donnés à Aix en 2025. Les naissances de décembre seront-elles ajoutées avant "
             "la fin janvier ?"),
    )),
    Discussion("deliberations-conseil-municipal-aix-2025", (
        Said("citoyen", 38, "La délibération sur la piétonnisation de la rue d'Italie, "
             "votée en juin, n'apparaît pas dans le fichier. Est-ce un oubli ou sera-t-elle "
             "ajoutée avec la séance de juillet ?"),
    )),
    Discussion(None, (
        Said("", 20, "Bonjour, parent d'élève à l'école Sainte-Victoire, je voudrais "
             "savoir si la Ville prévoit de publier les menus des restaurants scolaires en "
             "open data, avec les allergènes et la part de produits bio. Merci d'avance."),
    ), organization="ville-aix-en-provence", subject="Menus des cantines",
        sender=("Dominique Bernard", "dominique.bernard@exemple.fr")),
    Discussion("colleges-publics-bouches-du-rhone", (
        Said("journaliste", 300, "Bonjour, les effectifs de la rentrée 2025 comprennent-ils "
             "les élèves de SEGPA et d'ULIS ? Pour plusieurs collèges, les chiffres diffèrent "
             "de ceux publiés par le rectorat."),
        Said("cd13-publicateur", 229, "Bonjour, et pardon pour ce délai. Ce sont les "
             "effectifs du constat de rentrée transmis par le rectorat au 15 septembre : ils "
             "comprennent les SEGPA mais pas les ULIS, comptées à part. Nous ajoutons cette "
             "précision à la description du jeu de données."),
    )),
    Discussion("subventions-associations-2025-cd13", (
        Said("citoyen", 200, "La Banque Alimentaire des Bouches-du-Rhône reçoit 80 000 € : "
             "s'agit-il d'un seul versement ou de plusieurs ? La colonne des dates de "
             "versement couvre toute l'année."),
        Said("cd13-publicateur", 194, "Bonjour, la subvention est versée en quatre fois, "
             "une par trimestre, comme l'indiquent les conditions de versement "
             "(« échelonné »). Le montant est celui voté par la commission permanente."),
    )),
    Discussion("horaires-decheteries-vallee-herault", (
        Said("citoyen", 150, "La déchèterie de Gignac est-elle ouverte le dimanche matin "
             "en été ? Le fichier ne dit rien pour juillet et août."),
        Said("ccvh-publicateur", 126, "Bonjour, oui : du 1er juillet au 31 août, la "
             "déchèterie de Gignac ouvre aussi le dimanche de 9 h à 12 h. Les horaires "
             "d'été seront ajoutés à la prochaine mise à jour."),
        Said("citoyen", 100, "Merci ! Et celle d'Aniane ?"),
        Said("ccvh-producteur", 91, "Celle d'Aniane garde les mêmes horaires toute "
             "l'année : elle est fermée le dimanche."),
    )),
    Discussion("points-apport-volontaire-vallee-herault", (
        Said("journaliste", 60, "Bonjour, les conteneurs à verre du boulevard Saint-Jean, "
             "à Aniane, ont été déplacés au printemps. Le fichier est-il à jour ? Leurs "
             "coordonnées tombent au milieu de la chaussée."),
    )),
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


#: The media type of each demo file's format.
MEDIA_TYPES = {"CSV": "text/csv", "PDF": "application/pdf"}


def _format(filename: str) -> str:
    return os.path.splitext(filename)[1].lstrip(".").upper()


def _ensure_dataset(spec: dict[str, Any], creator: str) -> bool:
    if model.Package.get(spec["name"]):
        return False
    filename, resource_name = spec["resource"]
    fmt = _format(filename)
    partner = next(p for p in PARTNERS if p["name"] == spec["owner_org"])
    data = {k: v for k, v in spec.items()
            if k not in ("resource", "tags", "updated_days_ago", "dictionary")}
    updated = None
    if "updated_days_ago" in spec:
        # in UTC days, as the freshness is assessed
        updated = pmodel.now().date() - dt.timedelta(days=spec["updated_days_ago"])
        data["modified"] = updated.isoformat()
    data["tags"] = [{"name": t} for t in spec["tags"]]
    data.setdefault("url", partner["url"])
    data.setdefault("author", partner["title"])
    data.setdefault("maintainer", f"Service open data – {partner['title']}")
    data.setdefault("maintainer_email", f"opendata@{partner['short']}.exemple.fr")
    context = {"user": creator}
    # the producer side creates it private; the host publishes it (below)
    public = not data.pop("private", False)
    dataset = tk.get_action("package_create")(context, {**data, "private": True})
    with open(os.path.join(DATA, filename), "rb") as f:
        resource = tk.get_action("resource_create")(
            {"user": creator},
            {
                "package_id": dataset["id"],
                "name": resource_name,
                "format": fmt,
                "url": filename,
                "url_type": "upload",
                "upload": FileStorage(f, filename=filename, content_type=MEDIA_TYPES[fmt]),
                **({"data_dictionary": spec["dictionary"]} if spec.get("dictionary") else {}),
            },
        )
    if updated is not None:
        # CKAN dates an upload now; the file's last change is the data's
        tk.get_action("resource_patch")(
            {"user": creator}, {"id": resource["id"], "last_modified": updated.isoformat()})
    if public:
        tk.get_action("package_patch")(_site_context(), {"id": dataset["id"], "private": False})
    return True


# The demo files and descriptions of earlier versions of the demo (SHA-256
# of the file as it was shipped; the description as it was): a portal
# loaded with them gets the current ones on the next load, unless someone
# changed them in between.
SUPERSEDED_FILES: dict[str, set[str]] = {
    "colleges-publics-13.csv": {
        "1094c77eeab206fe98e49a236015a68d85dce8f8c45ff581ac66448b7b9fa619"},
    "subventions-associations-2025.csv": {
        "55ffe982bf6c72170465c2c0705634bf86c5d3a5f3647566cd740064354cefb3"},
    "deliberations-conseil-municipal-2025.csv": {
        "911c0222a99104f380d46587ef4eecefdbebce428bc1d6114b34fdbad6e5b362"},
    "prenoms-nouveaux-nes-2025.csv": {
        "c9a05fddbf8fcb4b18a9745d2e14f1f78ff4c2bb4a6d9cd40915f32b5fd7dacb"},
    "points-apport-volontaire.csv": {
        "118503e6de3933197da542ba33736f6abc879a6d7473ca6a495b5473eb4dfa0b"},
}
SUPERSEDED_NOTES: dict[str, str] = {
    FAILING_EXAMPLE: (
        "Prénoms donnés aux enfants nés à Aix-en-Provence en 2025 et "
        "déclarés à l'état civil, au format du SCDL « Prénoms des "
        "nouveau-nés »."
    ),
}


def _sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _refresh_dataset(spec: dict[str, Any]) -> Iterator[str]:
    """Bring an existing demo dataset's file and description up to date
    when they are still those of an earlier demo (see SUPERSEDED_*)."""
    package = model.Package.get(spec["name"])
    if package is None or package.state != "active":
        return
    if package.notes is not None and package.notes == SUPERSEDED_NOTES.get(spec["name"]):
        tk.get_action("package_patch")(_site_context(), {"id": package.id,
                                                         "notes": spec["notes"]})
        yield f"description of {spec['name']} updated"
    yield from _add_dictionary(spec, package)
    filename = spec["resource"][0]
    old = SUPERSEDED_FILES.get(filename)
    if not old:
        return
    for resource in package.resources:
        if resource.url_type != "upload" or resource.url.rsplit("/", 1)[-1] != filename:
            continue
        stored = uploader.get_resource_uploader(
            {"id": resource.id, "url_type": "upload"}).get_path(resource.id)
        if not os.path.exists(stored) or _sha256(stored) not in old:
            continue
        with open(os.path.join(DATA, filename), "rb") as f:
            tk.get_action("resource_patch")(_site_context(), {
                "id": resource.id, "url": filename, "url_type": "upload",
                "upload": FileStorage(f, filename=filename, content_type="text/csv")})
        yield f"file {filename} of {spec['name']} updated"


def _add_dictionary(spec: dict[str, Any], package: model.Package) -> Iterator[str]:
    """A portal loaded before the demo had data dictionaries gets the one
    of its file, unless someone gave the file one meanwhile."""
    filename = spec["resource"][0]
    if not spec.get("dictionary"):
        return
    for resource in package.resources:
        if resource.state != "active" or (resource.url or "").rsplit("/", 1)[-1] != filename:
            continue
        if (resource.extras or {}).get("data_dictionary"):
            continue
        tk.get_action("resource_patch")(_site_context(), {
            "id": resource.id, "data_dictionary": spec["dictionary"]})
        yield f"data dictionary of {filename} added"


#: The quotas of 002 §3.3 (figures of 2018; GB as 10⁹ bytes).
QUOTAS_002 = {
    "quota_records_per_dataset": 300000,
    "quota_records_total": 20_000_000,
    "quota_storage_bytes": 30 * 10**9,
    "quota_updates_per_day_bytes": 10**9,
    "quota_api_calls_per_month": 300000,
}


#: The share of its storage quota the EPCI's demo files take: past the 80 %
#: of the alert, below the limit.
STORAGE_SHARE = 0.9


def demo_storage_bytes(organization: str) -> int:
    """The bytes of the demo files of ``organization``'s datasets."""
    return sum(os.path.getsize(os.path.join(DATA, spec["resource"][0]))
               for spec in DATASETS if spec["owner_org"] == organization)


def _agreements(today: dt.date) -> dict[str, dict[str, Any]]:
    """One agreement per partner, shaped on its convention. The EPCI's
    starts on the day that puts its notice deadline three weeks after the
    demo is loaded, so the calendar shows a deadline coming; its storage
    quota is scaled down to its demo files, which take STORAGE_SHARE of it,
    so that ``notify`` sends the 80 % mail (`make mail`). None follows 000:
    001, 003 and 004 leave the delay of a formal notice to the parties ("a
    reasonable delay" fixed in writing), so ``breach_notice_days`` and
    ``force_majeure_months`` stay empty and the parties set those dates."""
    epci_period_end = today + relativedelta(months=1, days=21)
    return {
        "departement-bouches-du-rhone": {
            "reference": "DATASUD-2018-CD13",
            "title": "Convention de partenariat DataSud (001)",
            "signed_on": "2018-07-02", "effective_on": "2018-07-10",
            "term": "fixed", "initial_term_months": 12, "renewal": "tacit",
            "renewal_term_months": 12, "notice_months": 1, "end_policy": "withdraw",
            # raised by its amendment (AMENDMENTS)
            "quota_storage_bytes": 1_000_000_000,
        },
        "cc-vallee-de-l-herault": {
            "reference": "HERAULT-DATA-CCVH",
            "title": "Convention de partenariat Hérault Data (003)",
            "effective_on": (epci_period_end - relativedelta(months=24)).isoformat(),
            "term": "fixed", "initial_term_months": 12, "renewal": "tacit",
            "renewal_term_months": 12, "notice_months": 1, "end_policy": "keep",
            # an OpenDataSoft portal like 002's: its quotas (002 §3.3), the
            # storage's at the demo's scale
            **QUOTAS_002,
            "quota_storage_bytes": math.ceil(
                demo_storage_bytes("cc-vallee-de-l-herault") / STORAGE_SHARE),
        },
        "ville-aix-en-provence": {
            "reference": "DATASUD-2019-AIX",
            "title": "Convention de partenariat Open Paca (004)",
            "signed_on": "2019-12-19", "effective_on": "2019-12-19",
            "term": "fixed", "initial_term_months": 12, "renewal": "tacit",
            "renewal_term_months": 12, "notice_months": 1, "end_policy": "withdraw",
            # 004 §7.1: restricted-access data under a licence the Ville chooses
            "allowed_licenses": ["lov2", "odc-odbl", "other-closed"],
        },
    }


def _ensure_agreement(partner: dict[str, Any], terms: dict[str, Any]) -> bool:

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
    today = dt.date.today()
    for planned in PLANNED[partner["name"]]:
        tk.get_action("partnership_planned_dataset_create")(
            _site_context(),
            {"agreement_id": agreement["id"],
             **{k: v for k, v in planned.items() if k not in ("link", "due_days")},
             "due_on": (today + dt.timedelta(days=planned["due_days"])).isoformat()})
    for days_ago, reference, summary, changes in AMENDMENTS.get(partner["name"], []):
        tk.get_action("partnership_amendment_create")(
            _site_context(), {"agreement_id": agreement["id"], "reference": reference,
                              "signed_on": (today - dt.timedelta(days=days_ago)).isoformat(),
                              "summary": summary, "changes": changes})
    for held_on, minutes in MEETINGS.get(partner["name"], []):
        tk.get_action("partnership_committee_meeting_create")(
            _site_context(), {"agreement_id": agreement["id"], "held_on": held_on,
                              "minutes": minutes})
    return True


SCDL = "https://schema.data.gouv.fr/schemas/scdl/{}/latest/schema.json"

# The annex of each agreement: what the partner promised, due so many days
# after the load (before it, when negative): some delivered on time, some
# late, some late and still to come, one not due yet (the annual review). The datasets of
# the demo are linked once loaded (see load); the others are still to come.
PLANNED: dict[str, list[dict[str, Any]]] = {
    "departement-bouches-du-rhone": [
        {"title": "Subventions versées aux associations", "standard": SCDL.format("subventions"),
         "frequency": EU_FREQUENCY + "QUARTERLY", "link": "subventions-associations-2025-cd13",
         "due_days": -160},
        {"title": "Marchés publics conclus", "standard": SCDL.format("decp"),
         "frequency": EU_FREQUENCY + "QUARTERLY", "due_days": -40},
    ],
    "cc-vallee-de-l-herault": [
        {"title": "Points d'apport volontaire", "frequency": EU_FREQUENCY + "AS_NEEDED",
         "link": "points-apport-volontaire-vallee-herault", "due_days": -60},
        {"title": "Équipements collectifs", "standard": SCDL.format("equipements"),
         "frequency": EU_FREQUENCY + "ANNUAL", "due_days": 120},
    ],
    "ville-aix-en-provence": [
        {"title": "Prénoms des nouveau-nés", "standard": SCDL.format("prenoms"),
         "frequency": EU_FREQUENCY + "MONTHLY", "link": "prenoms-nouveaux-nes-aix-2025",
         "due_days": -30},
        {"title": "Délibérations du conseil municipal", "standard": SCDL.format("deliberations"),
         "frequency": EU_FREQUENCY + "MONTHLY_2", "link": "deliberations-conseil-municipal-aix-2025",
         "due_days": -45},
        {"title": "Menus des cantines scolaires", "standard": SCDL.format("menus-collectifs"),
         "frequency": EU_FREQUENCY + "WEEKLY", "due_days": -15},
    ],
}

# The amendments signed in the year, so many days before the load.
AMENDMENTS: dict[str, list[tuple[int, str, str, dict[str, Any]]]] = {
    "departement-bouches-du-rhone": [
        (230, "DATASUD-2018-CD13-AV1", "Quotas relevés : 60 jeux de données, 2 Go.",
         {"quota_storage_bytes": 2_000_000_000}),
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


def _publisher(package: model.Package) -> model.User:
    partner = next(p for p in PARTNERS if model.Group.get(p["name"]).id == package.owner_org)
    return model.User.get(f"{partner['short']}-publicateur")


def _passing_checks(package: model.Package,
                    agreement: pmodel.Agreement) -> list[dict[str, Any]]:
    """The checks of a submission: a dataset is submitted only once they
    pass, so its files are taken as checked."""
    resources = [{"id": r.id, "name": r.name, "status": "success", "results": []}
                 for r in package.resources]
    return publication_rules.evaluate([], package.license_id, agreement.allowed_licenses or [],
                                resources)


def _activity(package: model.Package, user_name: str, event: str, at: dt.datetime,
              private: bool, **data: Any) -> None:
    """A step of the workflow in the dataset's activity stream, dated ``at``.
    A step taken while the dataset was private is seen by those who could
    see it then: the partner's members."""
    from ckanext.activity.model import Activity

    before = {id(obj) for obj in model.Session.new}
    publication.add_activity(package, user_name, event, **data)
    [activity] = [obj for obj in model.Session.new
                  if isinstance(obj, Activity) and id(obj) not in before]
    activity.timestamp = at
    if private:
        then = SimpleNamespace(id=package.id, state="active", private=True,
                               owner_org=package.owner_org,
                               creator_user_id=package.creator_user_id)
        activity.permission_labels = get_permission_labels().get_dataset_labels(
            cast(model.Package, then))


def _submit(package: model.Package, agreement: pmodel.Agreement, publisher: model.User,
            at: dt.datetime) -> pmodel.PublicationRequest:
    """A request as the publisher's submission at ``at`` left it: pending."""
    row = pmodel.PublicationRequest(
        package_id=package.id, organization_id=package.owner_org,
        agreement_id=agreement.id, mode=agreement.publication_mode,
        status=publication_rules.PENDING, submitted_by=publisher.id, submitted_at=at,
        due_at=sla.due_at(at, agreement.validation_sla_hours),
        checks=_passing_checks(package, agreement))
    model.Session.add(row)
    model.Session.flush()
    _activity(package, publisher.name, "submitted", at, private=True,
              request_id=row.id, due_at=pmodel.iso(row.due_at))
    return row


def _has_requests(package: model.Package) -> bool:
    return bool(model.Session.query(pmodel.PublicationRequest)
                .filter_by(package_id=package.id).count())


def _history(now: dt.datetime, published: list[str]) -> Iterator[str]:
    """The past requests of the public demo datasets that have none; their
    names added to ``published``."""
    validator = model.User.get("validateur")
    by_dataset: dict[str, list[Decision]] = {}
    for step in HISTORY:
        by_dataset.setdefault(step.dataset, []).append(step)
    for name, steps in by_dataset.items():
        package = model.Package.get(name)
        if package is None or package.state != "active" or package.private \
                or _has_requests(package):
            continue
        agreement = pmodel.agreement_in_force(package.owner_org)
        if agreement is None:
            continue
        publisher = _publisher(package)
        created = []
        for step in steps:
            # in the morning (UTC), a little different each time; the
            # hours of HISTORY put each decision in office hours
            submitted = (now - dt.timedelta(days=step.days_ago)).replace(
                hour=7 + step.days_ago % 4, minute=step.days_ago * 7 % 60,
                second=0, microsecond=0)
            row = _submit(package, agreement, publisher, submitted)
            row.status = publication_rules.REFUSED if step.reasons else publication_rules.APPROVED
            row.decided_by = validator.id
            row.decided_at = submitted + dt.timedelta(hours=step.hours)
            row.reasons = list(step.reasons)
            row.message = step.message or None
            _activity(package, validator.name, row.status, row.decided_at,
                      private=bool(step.reasons), request_id=row.id,
                      reasons=row.reasons, message=row.message)
            created.append(f"publication request of {name} ({row.status}) created")
        model.Session.commit()
        published.append(name)
        yield from created


def _queue(now: dt.datetime) -> Iterator[str]:
    """The pending requests of the queue's datasets that have none."""
    for name, hours_ago in QUEUE.items():
        package = model.Package.get(name)
        if package is None or package.state != "active" or not package.private \
                or _has_requests(package):
            continue
        agreement = pmodel.agreement_in_force(package.owner_org)
        if agreement is None:
            continue
        _submit(package, agreement, _publisher(package),
                (now - dt.timedelta(hours=hours_ago)).replace(microsecond=0))
        model.Session.commit()
        yield f"publication request of {name} (pending) created"


def _live() -> Iterator[str]:
    """LIVE_SUBMISSION and LIVE_REFUSAL, through the actions, when their
    dataset has no request yet. A dataset an earlier demo left incomplete
    is not submitted: the refusal says why and the load goes on."""
    steps = [(LIVE_SUBMISSION, None), (LIVE_REFUSAL.dataset, LIVE_REFUSAL)]
    for name, refusal in steps:
        package = model.Package.get(name)
        if package is None or package.state != "active" or not package.private \
                or _has_requests(package):
            continue
        for resource in package.resources:
            if resource.state == "active":
                resource_checks.run(resource.id)
        try:
            request = tk.get_action("partnership_publication_submit")(
                {"user": _publisher(package).name}, {"id": package.id})
        except tk.ValidationError as error:
            yield f"publication request of {name} not submitted: {error.error_summary}"
            continue
        if refusal is None:
            yield f"publication request of {name} (pending) submitted"
            continue
        request = tk.get_action("partnership_publication_decide")(
            {"user": "validateur"}, {"id": request["id"], "decision": "refuse",
                                     "reasons": list(refusal.reasons),
                                     "message": refusal.message})
        yield f"publication request of {name} ({request['status']}) submitted and decided"


def _declarations() -> Iterator[str]:
    """LABEL_DECLARATIONS, through the action as the partner's publisher,
    for the datasets with no declaration yet (a withdrawal made in between
    is one: it stays)."""
    for name, declared in LABEL_DECLARATIONS.items():
        package = model.Package.get(name)
        if package is None or package.state != "active" or model.Session.query(
                pmodel.LabelDeclaration).filter_by(package_id=package.id).count():
            continue
        publisher = _publisher(package).name
        for criterion, status, comment in declared:
            tk.get_action("partnership_label_declare")(
                {"user": publisher}, {"id": package.id, "criterion": criterion,
                                      "status": status, "comment": comment})
            yield f"label criterion {criterion} of {name} declared {status}"


def _has_threads(package: model.Package) -> bool:
    return bool(model.Session.query(pmodel.Thread).filter_by(package_id=package.id).count())


def _has_contact_messages(organization_id: str) -> bool:
    return bool(model.Session.query(pmodel.Thread)
                .filter_by(organization_id=organization_id, kind="contact").count())


def _thread(spec: Discussion, now: dt.datetime) -> pmodel.Thread:
    """The thread and its messages as they were written, dated in the past."""
    def at(hours_ago: float) -> dt.datetime:
        return (now - dt.timedelta(hours=hours_ago)).replace(second=0, microsecond=0)

    if spec.dataset:
        package = model.Package.get(spec.dataset)
        thread = pmodel.Thread(kind="comment", organization_id=package.owner_org,
                               package_id=package.id)
    else:
        name, email = spec.sender or ("", "")
        thread = pmodel.Thread(kind="contact",
                               organization_id=model.Group.get(spec.organization).id,
                               subject=spec.subject, sender_name=name, sender_email=email)
    thread.created = at(spec.messages[0].hours_ago)
    for said in spec.messages:
        author = model.User.get(said.author) if said.author else None
        thread.comments.append(pmodel.Comment(
            author_id=author.id if author else None, body=said.body, created=at(said.hours_ago),
            by_partner=roles.is_member(said.author, thread.organization_id)))
    return thread


def _discussions(now: dt.datetime) -> Iterator[str]:
    """The comment threads of the public demo datasets that have none, and
    the contact messages of the partners that have none."""
    pending: dict[str, list[Discussion]] = {}
    for spec in DISCUSSIONS:
        if spec.dataset:
            package = model.Package.get(spec.dataset)
            if package is None or package.state != "active" or package.private \
                    or _has_threads(package):
                continue
            target = package.owner_org
        else:
            org = model.Group.get(spec.organization)
            if org is None or _has_contact_messages(org.id):
                continue
            target = org.id
        pending.setdefault(f"{spec.dataset or ''}/{target}", []).append(spec)
    for specs in pending.values():
        threads = [_thread(spec, now) for spec in specs]
        model.Session.add_all(threads)
        model.Session.commit()
        for spec, thread in zip(specs, threads):
            state = discussions.thread_clock(thread, now).state
            if spec.dataset:
                yield f"comment thread on {spec.dataset} ({state}) created"
            else:
                yield f"contact message to {spec.organization} ({state}) created"


def _access_request() -> Iterator[str]:
    """ACCESS_REQUEST, made once through the action, as a person makes it on
    the dataset's page, so that the Ville is mailed."""
    package = model.Package.get(RESTRICTED_EXAMPLE)
    if package is None or package.private or model.Session.query(pmodel.AccessRequest) \
            .filter_by(package_id=package.id).count():
        return
    user, purpose = ACCESS_REQUEST
    tk.get_action("partnership_access_request_create")(
        {"user": user}, {"package_id": package.id, "purpose": purpose})
    yield f"access request of {user} to {RESTRICTED_EXAMPLE} (pending) created"


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
    shorts = {p["name"]: p["short"] for p in PARTNERS}
    for spec in DATASETS:
        # the producer prepares what the publisher submits (the queue)
        role = "producteur" if spec["name"] in (*QUEUE, LIVE_SUBMISSION) else "publicateur"
        if _ensure_dataset(spec, f"{shorts[spec['owner_org']]}-{role}"):
            yield f"dataset {spec['name']} created"
        else:
            yield from _refresh_dataset(spec)
    yield from _link_planned()
    now = pmodel._now()
    published: list[str] = []
    yield from _history(now, published)
    yield from _queue(now)
    yield from _live()
    yield from _discussions(now)
    yield from year.history(now, published)
    yield from _declarations()
    yield from _access_request()


def describe_accounts() -> str:
    """The demo accounts, for the person who starts the demo."""
    labels = {
        "sysadmin": "administrateur du site / sysadmin",
        "validator": "validateur (Région Sud)",
        "publisher": "publicateur",
        "producer": "producteur",
        "public": "public",
    }
    lines = [f"Comptes de démonstration (mot de passe : {PASSWORD})"]
    for name, _fullname, role, org, _cap in ACCOUNTS:
        where = f" – {org}" if org else ""
        lines.append(f"  {name:<22} {labels[role]}{where}")
    return "\n".join(lines)
