# -*- coding: utf-8 -*-
"""Data for tests: a partner organisation and datasets with every field."""
from __future__ import annotations

import json
from typing import Any

from ckan.tests import factories

# The password of the accounts the tests create (the browser tests log in).
PASSWORD = "Mot-de-passe-2026"

EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"

AIX_OUTLINE = {
    "type": "Polygon",
    "coordinates": [[[5.2718, 43.4735], [5.5512, 43.4735], [5.5512, 43.6247],
                     [5.2718, 43.6247], [5.2718, 43.4735]]],
}


def partner(**kwargs: Any) -> dict[str, Any]:
    """A partner organisation with a publisher (an editor)."""
    user = factories.User()
    org = factories.Organization(
        title=kwargs.pop("title", "Ville d'Aix-en-Provence"),
        users=[{"name": user["name"], "capacity": "editor"}],
        **kwargs,
    )
    org["publisher"] = user
    return org


def full_dataset(org: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """Input for package_create with every field of the schema."""
    data = {
        "name": "prenoms-nouveaux-nes-2025",
        "title": "Prénoms des nouveau-nés à Aix-en-Provence en 2025",
        "notes": "Prénoms déclarés à l'état civil, au format du SCDL « Prénoms ».",
        "owner_org": org["id"],
        "created": "2025-01-05",
        "modified": "2025-11-10",
        "license_id": "lov2",
        "theme": [EU_THEME + "GOVE", EU_THEME + "SOCI"],  # the list's order
        "tag_string": "prénoms,état civil",
        "frequency": EU_FREQ + "MONTHLY_2",
        "spatial_coverage": [{
            "text": "Aix-en-Provence",
            "code": "13001",
            "uri": "https://geo.api.gouv.fr/communes/13001",
            "geom": json.dumps(AIX_OUTLINE, separators=(",", ":")),
        }],
        "granularity": "commune",
        "temporal_coverage": [{"start": "2025-01-01", "end": "2025-12-31"}],
        "conforms_to": "https://schema.data.gouv.fr/schemas/scdl/prenoms/latest/schema.json",
        "access_rights": "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
        "url": "https://www.aixenprovence.fr",
        "author": "Ville d'Aix-en-Provence",
        "maintainer": "Service open data",
        "maintainer_email": "opendata@aix.exemple.fr",
        "private": False,
    }
    data.update(overrides)
    return data


# The fields a harvester must get back as they were sent.
SCHEMA_FIELDS = [
    "name", "title", "notes", "created", "modified", "license_id", "theme",
    "frequency", "spatial_coverage", "granularity", "temporal_coverage",
    "conforms_to", "access_rights", "url", "author", "maintainer", "maintainer_email",
]


def minimal_dataset(org: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """Input for package_create with only the fields a public dataset
    requires (metadata_rules.REQUIRED_FIELDS), accented: no author, no
    maintainer, no URL, no resource."""
    data = {
        "name": "deliberations-conseil-2025",
        "title": "Délibérations du conseil municipal de Gréasque",
        "notes": "Les délibérations adoptées en séance, éléments « clés » compris.",
        "owner_org": org["id"],
        "created": "2025-02-03",
        "modified": "2025-10-20",
        "license_id": "lov2",
        "theme": [EU_THEME + "GOVE"],
        "tag_string": "délibérations",
        "frequency": EU_FREQ + "MONTHLY",
        "spatial_coverage": [{"text": "Gréasque"}],
        "granularity": "commune",
        "private": False,
    }
    data.update(overrides)
    return data
