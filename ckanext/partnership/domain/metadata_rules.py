# -*- coding: utf-8 -*-
"""Rules of the metadata profile, as plain functions with no CKAN import.

They work on a dataset as ``package_show`` returns it with the partnership
schema (``schemas/dataset.yaml``).
"""
from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any, Mapping, Optional

from ckanext.partnership.domain import access

# The metadata every published dataset carries (002 §2.6; 000 §10.1.2),
# in the order a person fills them in. The publication date is not asked:
# the portal sets it when the dataset goes public.
REQUIRED_FIELDS: tuple[str, ...] = (
    "title",
    "owner_org",
    "notes",
    "created",
    "modified",
    "license_id",
    "theme",
    "tags",
    "frequency",
    "spatial_coverage",
    "granularity",
)

# Keys that the portal computes for harvesters and people; never stored.
COMPUTED_KEYS: tuple[str, ...] = ("source_notice", "update_notice", "partnership_may_download")
# What the portal adds to each resource on output: its checks' outcome,
# under ckanext-validation's names.
RESOURCE_COMPUTED_KEYS: tuple[str, ...] = (
    "validation_status", "validation_timestamp", "validation_standard",
    "partnership_restricted")

# The extras data.gouv.fr's CKAN harvester reads, mirrored from the schema's
# fields (see harvest_extras).
MIRRORED_EXTRAS: tuple[str, ...] = (
    "frequency",
    "temporal_start",
    "temporal_end",
    "spatial",
    "spatial-text",
    "spatial-uri",
    "granularity",
    "access_rights",
    "access_restriction",
)

# Required of restricted-access data besides REQUIRED_FIELDS: the reason of
# the restriction, without which data.gouv.fr reads the data as open.
RESTRICTED_REQUIRED_FIELDS: tuple[str, ...] = ("access_restriction",)


# The keys of a resource that CKAN API harvesters expect to find, even empty:
# data.gouv.fr's rejects a whole dataset when one is absent.
RESOURCE_KEYS: tuple[str, ...] = (
    "id", "position", "name", "description", "format", "mimetype", "size",
    "hash", "created", "last_modified", "url", "resource_type",
)
_RESOURCE_KEY_SET = frozenset(RESOURCE_KEYS)
_BLANK_TEXTS = frozenset(("", "[]", "{}"))


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() in _BLANK_TEXTS
    if isinstance(value, (list, tuple, dict, set)):
        return all(is_blank(v) for v in (value.values() if isinstance(value, dict) else value))
    return False


def missing_fields(dataset: Mapping[str, Any]) -> list[str]:
    """The required fields ``dataset`` lacks, in ``REQUIRED_FIELDS`` order.

    An empty list means the dataset is complete and may be published.
    Geographic coverage counts when one of its places has a name.
    """
    missing = []
    for field in REQUIRED_FIELDS:
        value = dataset.get(field)
        if field == "tags" and is_blank(value):
            value = dataset.get("tag_string")
        if field == "spatial_coverage" and isinstance(value, list):
            value = [place.get("text") for place in value if isinstance(place, dict)]
        if is_blank(value):
            missing.append(field)
    if access.dataset_restricted(dataset):
        missing += [f for f in RESTRICTED_REQUIRED_FIELDS if is_blank(dataset.get(f))]
    return missing


def parse_date(value: Any) -> Optional[dt.date]:
    """A date from an ISO 8601 date or date-time string (or a date)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


def display_date(value: Any) -> str:
    """JJ/MM/AAAA, as the agreements write dates (000 §16.3); '' if none."""
    date = parse_date(value)
    return date.strftime("%d/%m/%Y") if date else ""


def update_date(dataset: Mapping[str, Any]) -> Optional[dt.date]:
    """The date the data was last updated: the producer's ``modified``, else
    the date the dataset's metadata last changed."""
    return parse_date(dataset.get("modified")) or parse_date(dataset.get("metadata_modified"))


def source_name(dataset: Mapping[str, Any]) -> str:
    org = dataset.get("organization") or {}
    return org.get("title") or org.get("name") or ""


def source_notice(dataset: Mapping[str, Any]) -> str:
    """« Source : <partner> » (000 §16.3)."""
    name = source_name(dataset)
    return f"Source : {name}" if name else ""


def update_notice(dataset: Mapping[str, Any]) -> str:
    """« Date de mise à jour : JJ/MM/AAAA » (000 §16.3)."""
    date = update_date(dataset)
    return f"Date de mise à jour : {display_date(date)}" if date else ""


def _first(items: Any, key: str) -> Any:
    for item in items or []:
        if isinstance(item, dict) and not is_blank(item.get(key)):
            return item[key]
    return None


def harvest_extras(dataset: Mapping[str, Any]) -> list[dict[str, str]]:
    """The extras data.gouv.fr's CKAN harvester reads, from the schema's
    fields: ``frequency``, ``temporal_start``, ``temporal_end``, ``spatial``
    (a GeoJSON geometry), ``spatial-text``, ``spatial-uri``; and
    ``granularity``, which it keeps as it is; for restricted-access data,
    ``access_rights`` and ``access_restriction``, which it keeps as they
    are (its CKAN harvester maps no access type; its DCAT harvester reads
    them from ``dct:accessRights`` and ``dct:rights``). Only those with a
    value."""
    restricted = access.dataset_restricted(dataset)
    temporal = dataset.get("temporal_coverage") or []
    places = dataset.get("spatial_coverage") or []
    pairs = [
        ("frequency", dataset.get("frequency")),
        ("temporal_start", _first(temporal, "start")),
        ("temporal_end", _first(temporal, "end")),
        ("spatial", _first(places, "geom")),
        ("spatial-text", _first(places, "text")),
        ("spatial-uri", _first(places, "uri")),
        ("granularity", dataset.get("granularity")),
        ("access_rights", dataset.get("access_rights") if restricted else None),
        ("access_restriction", dataset.get("access_restriction") if restricted else None),
    ]
    return [{"key": k, "value": str(v)} for k, v in pairs if not is_blank(v)]


def with_resource_keys(resource: dict[str, Any]) -> dict[str, Any]:
    """``resource`` with every key of RESOURCE_KEYS, None where absent."""
    if _RESOURCE_KEY_SET <= resource.keys():  # CKAN's own resources have them all
        return resource
    for key in RESOURCE_KEYS:
        resource.setdefault(key, None)
    return resource


# --------------------------------------------------------------------------
# Geometry
# --------------------------------------------------------------------------


def _position_error(position: Any) -> Optional[str]:
    if not isinstance(position, (list, tuple)) or len(position) < 2:
        return "position"
    lon, lat = position[0], position[1]
    for n in (lon, lat):
        if isinstance(n, bool) or not isinstance(n, (int, float)) or not math.isfinite(n):
            return "position"
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        return "range"
    return None


def _polygon_error(rings: Any) -> Optional[str]:
    if not isinstance(rings, list) or not rings:
        return "rings"
    for ring in rings:
        if not isinstance(ring, list) or len(ring) < 4:
            return "ring-size"
        for position in ring:
            error = _position_error(position)
            if error:
                return error
        if list(ring[0][:2]) != list(ring[-1][:2]):
            return "ring-open"
    return None


def geometry_error(text: Any) -> Optional[str]:
    """Why ``text`` is not a GeoJSON Polygon or MultiPolygon in WGS 84
    longitude/latitude, or None when it is one. The reasons are codes:
    'json', 'type', 'rings', 'ring-size', 'ring-open', 'position', 'range'."""
    try:
        geometry = json.loads(text) if isinstance(text, str) else text
    except ValueError:
        return "json"
    if not isinstance(geometry, dict):
        return "json"
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        return _polygon_error(coordinates)
    if kind == "MultiPolygon":
        if not isinstance(coordinates, list) or not coordinates:
            return "rings"
        for polygon in coordinates:
            error = _polygon_error(polygon)
            if error:
                return error
        return None
    return "type"


# --------------------------------------------------------------------------
# Identifiers
# --------------------------------------------------------------------------


def luhn_valid(digits: str) -> bool:
    """True if the ASCII digit string passes the Luhn checksum (SIREN,
    SIRET)."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def siren_valid(value: str) -> bool:
    """A SIREN is 9 digits whose Luhn checksum is right."""
    return len(value) == 9 and value.isascii() and value.isdigit() and luhn_valid(value)
