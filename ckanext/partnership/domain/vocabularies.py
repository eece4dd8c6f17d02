# -*- coding: utf-8 -*-
"""Controlled vocabularies of the metadata profile: plain data, no CKAN import.

Each vocabulary is a tuple of ``Term(value, fr, en)``. ``value`` is what is
stored and what the API and DCAT carry (a URI where an authority list exists);
``fr`` and ``en`` are the labels shown.
"""
from __future__ import annotations

from typing import NamedTuple


class Term(NamedTuple):
    value: str
    fr: str
    en: str


EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"

# The 13 update frequencies of the agreements (002 §2.6, 000 §10.1.2): the
# French labels of the ISO 19115 maintenance-frequency codes, stored as the EU
# frequency authority's URIs. "Bi-mensuelle" is twice a month (MONTHLY_2, not
# BIMONTHLY = every two months); "Bi-annuelle" is twice a year (ANNUAL_2, not
# BIENNIAL = every two years). "Continue" is ISO's continual (CONT); "Temps
# réel", which ISO lacks, is the authority's "continuously updated"
# (UPDATE_CONT).
FREQUENCIES: tuple[Term, ...] = (
    Term(EU_FREQUENCY + "AS_NEEDED", "Lorsque nécessaire", "As needed"),
    Term(EU_FREQUENCY + "NOT_PLANNED", "Non planifiée", "Not planned"),
    Term(EU_FREQUENCY + "IRREG", "Irrégulière", "Irregular"),
    Term(EU_FREQUENCY + "CONT", "Continue", "Continuous"),
    Term(EU_FREQUENCY + "UPDATE_CONT", "Temps réel", "Real time"),
    Term(EU_FREQUENCY + "DAILY", "Journalière", "Daily"),
    Term(EU_FREQUENCY + "WEEKLY", "Hebdomadaire", "Weekly"),
    Term(EU_FREQUENCY + "MONTHLY_2", "Bi-mensuelle", "Twice a month"),
    Term(EU_FREQUENCY + "MONTHLY", "Mensuelle", "Monthly"),
    Term(EU_FREQUENCY + "QUARTERLY", "Trimestrielle", "Quarterly"),
    Term(EU_FREQUENCY + "ANNUAL_2", "Bi-annuelle", "Twice a year"),
    Term(EU_FREQUENCY + "ANNUAL", "Annuelle", "Annual"),
    Term(EU_FREQUENCY + "UNKNOWN", "Inconnue", "Unknown"),
)

EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"

# The EU data themes (DCAT-AP), with the authority's French labels.
THEMES: tuple[Term, ...] = (
    Term(EU_THEME + "AGRI", "Agriculture, pêche, sylviculture et alimentation",
         "Agriculture, fisheries, forestry and food"),
    Term(EU_THEME + "ECON", "Économie et finances", "Economy and finance"),
    Term(EU_THEME + "EDUC", "Éducation, culture et sport", "Education, culture and sport"),
    Term(EU_THEME + "ENER", "Énergie", "Energy"),
    Term(EU_THEME + "ENVI", "Environnement", "Environment"),
    Term(EU_THEME + "GOVE", "Gouvernement et secteur public", "Government and public sector"),
    Term(EU_THEME + "HEAL", "Santé", "Health"),
    Term(EU_THEME + "INTR", "Questions internationales", "International issues"),
    Term(EU_THEME + "JUST", "Justice, système juridique et sécurité publique",
         "Justice, legal system and public safety"),
    Term(EU_THEME + "REGI", "Régions et villes", "Regions and cities"),
    Term(EU_THEME + "SOCI", "Population et société", "Population and society"),
    Term(EU_THEME + "TECH", "Science et technologie", "Science and technology"),
    Term(EU_THEME + "TRAN", "Transports", "Transport"),
)

# Spatial granularity: the finest geographic unit the data is broken down by.
GRANULARITIES: tuple[Term, ...] = (
    Term("adresse", "Adresse", "Address"),
    Term("parcelle", "Parcelle cadastrale", "Cadastral parcel"),
    Term("iris", "IRIS (quartier statistique)", "IRIS (statistical district)"),
    Term("commune", "Commune", "Municipality"),
    Term("canton", "Canton", "Canton"),
    Term("epci", "EPCI (intercommunalité)", "EPCI (inter-municipal body)"),
    Term("departement", "Département", "Département"),
    Term("region", "Région", "Region"),
    Term("france", "France", "France"),
    Term("autre", "Autre", "Other"),
)

EU_ACCESS_RIGHT = "http://publications.europa.eu/resource/authority/access-right/"

# Access level (004 §7.1: open data or "donnée sur accès restreint").
ACCESS_LEVELS: tuple[Term, ...] = (
    Term(EU_ACCESS_RIGHT + "PUBLIC", "Donnée ouverte", "Open data"),
    Term(EU_ACCESS_RIGHT + "RESTRICTED", "Donnée sur accès restreint", "Restricted-access data"),
)

INSPIRE_LIMITATION = (
    "http://inspire.ec.europa.eu/metadata-codelist/LimitationsOnPublicAccess/"
    "INSPIRE_Directive_Article13_1")

# Why a dataset is on restricted access: the reasons of article 13(1) of the
# INSPIRE directive (a to h), as the code de l'environnement (L124-4 and
# L124-5) transposes them and data.gouv.fr asks for them (its
# ``access_type_reason_category``), stored as the INSPIRE code list's URIs.
ACCESS_RESTRICTIONS: tuple[Term, ...] = (
    Term(INSPIRE_LIMITATION + "a", "Confidentialité des travaux des autorités publiques",
         "Confidentiality of the proceedings of public authorities"),
    Term(INSPIRE_LIMITATION + "b", "Relations internationales, sécurité publique ou défense nationale",
         "International relations, public security or national defence"),
    Term(INSPIRE_LIMITATION + "c", "Bonne marche de la justice",
         "Course of justice"),
    Term(INSPIRE_LIMITATION + "d", "Secret commercial ou industriel",
         "Commercial or industrial confidentiality"),
    Term(INSPIRE_LIMITATION + "e", "Droits de propriété intellectuelle",
         "Intellectual property rights"),
    Term(INSPIRE_LIMITATION + "f", "Protection des données personnelles",
         "Confidentiality of personal data"),
    Term(INSPIRE_LIMITATION + "g", "Protection des personnes ayant fourni l'information volontairement",
         "Protection of voluntary information suppliers"),
    Term(INSPIRE_LIMITATION + "h", "Protection de l'environnement",
         "Protection of the environment"),
)

# The legal wording of each reason, as France's INSPIRE metadata guide (CNIG)
# and the INSPIRE code list write it: the labels DCAT gives, by which
# harvesters recognise the reason.
_CODE = {"a": "L124-4-I-1", "b": "L124-5-II-1", "c": "L124-5-II-2", "d": "L124-4-I-1",
         "e": "L124-5-II-3", "f": "L124-4-I-1", "g": "L124-4-I-3", "h": "L124-4-I-2"}
ACCESS_RESTRICTION_LEGAL_LABELS: dict[str, tuple[str, str]] = {
    INSPIRE_LIMITATION + letter: (
        "{} du code de l'environnement (Directive 2007/2/CE (INSPIRE), Article 13.1.{})"
        .format(code, letter),
        "public access limited according to Article 13(1)({}) of the INSPIRE Directive"
        .format(letter),
    )
    for letter, code in _CODE.items()
}

# Legal status of a partner organisation.
ORGANIZATION_STATUSES: tuple[Term, ...] = (
    Term("commune", "Commune", "Municipality"),
    Term("epci", "EPCI (communauté de communes, d'agglomération, urbaine, métropole)",
         "EPCI (inter-municipal body)"),
    Term("departement", "Département", "Département"),
    Term("region", "Région", "Region"),
    Term("etablissement-public", "Établissement public", "Public body"),
    Term("syndicat-mixte", "Syndicat mixte", "Joint syndicate"),
    Term("sem", "Société d'économie mixte / SPL", "Semi-public company"),
    Term("association", "Association", "Association"),
    Term("etat", "Service de l'État", "State service"),
    Term("autre", "Autre", "Other"),
)


# The vocabularies by the name the schemas give them (partnership_vocabulary),
# with whether a field takes several of their values.
BY_NAME: dict[str, tuple[tuple[Term, ...], bool]] = {
    "frequency": (FREQUENCIES, False),
    "theme": (THEMES, True),
    "granularity": (GRANULARITIES, False),
    "access_rights": (ACCESS_LEVELS, False),
    "access_restriction": (ACCESS_RESTRICTIONS, False),
    "organization_status": (ORGANIZATION_STATUSES, False),
}


def values(vocabulary: tuple[Term, ...]) -> list[str]:
    return [t.value for t in vocabulary]


def label(vocabulary: tuple[Term, ...], value: str, lang: str = "fr") -> str:
    """The label of ``value`` in ``lang`` ('fr' unless 'en'); the value itself
    when the vocabulary does not hold it."""
    for term in vocabulary:
        if term.value == value:
            return term.en if lang == "en" else term.fr
    return value


def choices(vocabulary: tuple[Term, ...]) -> list[dict[str, object]]:
    """The vocabulary in ckanext-scheming's ``choices`` form, labelled in
    French and English: what the schema API tells a script."""
    return [{"value": t.value, "label": {"fr": t.fr, "en": t.en}} for t in vocabulary]
