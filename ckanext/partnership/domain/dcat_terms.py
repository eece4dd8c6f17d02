# -*- coding: utf-8 -*-
"""The terms the DCAT output uses for what CKAN stores as plain strings:
file types (EU file-type authority), media types (IANA), languages (EU
language authority); and the bounding box of a GeoJSON geometry. Plain data,
no CKAN import.

DCAT-AP 3.0.0 wants IRIs where CKAN holds words: ``dct:format`` an IRI of
the EU file-type list, ``dcat:mediaType`` an IRI of IANA's media types,
``dct:language`` an IRI of the EU language list.
"""
from __future__ import annotations

import json
import re
from typing import Any, NamedTuple, Optional

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"


class FileType(NamedTuple):
    name: str  # the format as CKAN stores it (its resource_formats.json spelling)
    code: str  # the EU file-type authority's code
    media_type: Optional[str]  # IANA's, when IANA registers one


# One table: the format a resource holds, its EU file type and its media type.
FILE_TYPES: tuple[FileType, ...] = (
    FileType("CSV", "CSV", "text/csv"),
    FileType("TSV", "TSV", "text/tab-separated-values"),
    FileType("TXT", "TXT", "text/plain"),
    FileType("JSON", "JSON", "application/json"),
    FileType("GeoJSON", "GEOJSON", "application/geo+json"),
    FileType("JSON-LD", "JSON_LD", "application/ld+json"),
    FileType("XML", "XML", "application/xml"),
    FileType("RDF", "RDF_XML", "application/rdf+xml"),
    FileType("TTL", "RDF_TURTLE", "text/turtle"),
    FileType("N3", "N3", "text/n3"),
    FileType("KML", "KML", "application/vnd.google-earth.kml+xml"),
    FileType("KMZ", "KMZ", "application/vnd.google-earth.kmz"),
    FileType("GML", "GML", "application/gml+xml"),
    FileType("GPKG", "GPKG", "application/geopackage+sqlite3"),
    FileType("SHP", "SHP", None),
    FileType("ODS", "ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    FileType("ODT", "ODT", "application/vnd.oasis.opendocument.text"),
    FileType("ODP", "ODP", "application/vnd.oasis.opendocument.presentation"),
    FileType("ODG", "ODG", "application/vnd.oasis.opendocument.graphics"),
    FileType("XLS", "XLS", "application/vnd.ms-excel"),
    FileType("XLSX", "XLSX",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    FileType("DOC", "DOC", "application/msword"),
    FileType("DOCX", "DOCX",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    FileType("PPT", "PPT", "application/vnd.ms-powerpoint"),
    FileType("PPTX", "PPTX",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    FileType("PDF", "PDF", "application/pdf"),
    FileType("HTML", "HTML", "text/html"),
    FileType("ZIP", "ZIP", "application/zip"),
    FileType("Parquet", "PARQUET", "application/vnd.apache.parquet"),
    FileType("NetCDF", "NETCDF", None),
    FileType("JPEG", "JPEG", "image/jpeg"),
    FileType("PNG", "PNG", "image/png"),
    FileType("GIF", "GIF", "image/gif"),
    FileType("TIFF", "TIFF", "image/tiff"),
    FileType("SVG", "SVG", "image/svg+xml"),
    FileType("MDB", "MDB", None),
    FileType("dBase", "DBF", None),
    FileType("WMS", "WMS_SRVC", None),
    FileType("WFS", "WFS_SRVC", None),
)

_BY_KEY = {}
for _ft in FILE_TYPES:
    for _key in (_ft.name, _ft.code, _ft.media_type):
        if _key:
            _BY_KEY.setdefault(_key.upper(), _ft)
_BY_CODE = {ft.code: ft for ft in FILE_TYPES}

# ISO 639-1 (CKAN's locales) -> the EU language authority's code.
LANGUAGES = {
    "fr": "FRA", "en": "ENG", "de": "DEU", "it": "ITA", "es": "SPA",
    "pt": "POR", "nl": "NLD", "ca": "CAT", "oc": "OCI", "br": "BRE",
    "eu": "EUS", "co": "COS",
}

# type "/" subtype, as RFC 6838 spells registered names
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


def file_type(fmt: Optional[str]) -> Optional[FileType]:
    """The entry of a format, whatever its case, or of a media type
    (``"csv"``, ``".CSV"``, ``"text/csv"`` → CSV); None when unknown."""
    key = (fmt or "").strip().lstrip(".").upper()
    return _BY_KEY.get(key)


def file_type_iri(fmt: Optional[str]) -> Optional[str]:
    found = file_type(fmt)
    return FILE_TYPE + found.code if found else None


def format_of_iri(iri: Optional[str]) -> Optional[str]:
    """The format CKAN stores for an EU file-type IRI; None for another."""
    if not iri or not iri.startswith(FILE_TYPE):
        return None
    found = _BY_CODE.get(iri[len(FILE_TYPE):])
    return found.name if found else None


def media_type_iri(media_type: Optional[str]) -> Optional[str]:
    """IANA's IRI of a media type; None when it is no registrable name
    (``x-`` subtypes are unregistered, IANA has no page for them)."""
    value = (media_type or "").strip().lower().split(";")[0].strip()
    if not _MEDIA_TYPE.match(value) or value.split("/")[1].startswith("x-"):
        return None
    return IANA_MEDIA_TYPE + value


def media_type_of_iri(iri: Optional[str]) -> Optional[str]:
    if not iri or not iri.startswith(IANA_MEDIA_TYPE):
        return None
    return iri[len(IANA_MEDIA_TYPE):] or None


def language_iri(locale: Optional[str]) -> Optional[str]:
    """``"fr"`` or ``"fr_FR"`` → the EU authority's IRI of French."""
    code = LANGUAGES.get((locale or "").replace("-", "_").split("_")[0].lower())
    return EU_LANGUAGE + code if code else None


def _positions(coordinates: Any):
    if (isinstance(coordinates, (list, tuple)) and len(coordinates) >= 2
            and all(isinstance(c, (int, float)) for c in coordinates[:2])):
        yield float(coordinates[0]), float(coordinates[1])
    elif isinstance(coordinates, (list, tuple)):
        for item in coordinates:
            yield from _positions(item)


def _number(value: float) -> str:
    return ("%.10f" % value).rstrip("0").rstrip(".")


def bbox_wkt(geometry: Any) -> Optional[str]:
    """The bounding box of a GeoJSON geometry (a dict or its JSON text), as
    a WKT polygon; None when it holds no position."""
    if isinstance(geometry, str):
        try:
            geometry = json.loads(geometry)
        except ValueError:
            return None
    if not isinstance(geometry, dict):
        return None
    parts = geometry.get("geometries") if geometry.get("type") == "GeometryCollection" else None
    points = list(_positions([g.get("coordinates") for g in parts if isinstance(g, dict)]
                             if parts else geometry.get("coordinates")))
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    west, south, east, north = map(_number, (min(xs), min(ys), max(xs), max(ys)))
    return (f"POLYGON(({west} {south}, {east} {south}, {east} {north}, "
            f"{west} {north}, {west} {south}))")
