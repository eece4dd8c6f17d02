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
