"""Open, machine-readable formats (``000`` annex 3: mainly CSV, KML, JSON)."""
from __future__ import annotations

import os
from typing import Optional
from urllib.parse import urlparse

from .base import Result, status_of

#: Open formats, machine-readable.
OPEN = frozenset("""
CSV TSV TXT JSON GEOJSON JSONLD JSON-LD NDJSON KML KMZ GPX GML XML RDF TTL
N3 NT ODS ODT ODG SHP GPKG GEOPACKAGE PARQUET NETCDF NC GTFS ZIP WMS WFS
API SPARQL SQL
""".split())
#: Closed formats, and the open one to use instead.
CLOSED = {
    "XLS": "CSV", "XLSX": "CSV", "XLSM": "CSV", "DOC": "ODT", "DOCX": "ODT",
    "PPT": "ODP", "PPTX": "ODP", "MDB": "CSV", "ACCDB": "CSV", "DBF": "CSV",
    "SAV": "CSV", "DTA": "CSV", "SAS7BDAT": "CSV", "NUMBERS": "CSV",
}
#: Open but meant for reading, not for machines.
DOCUMENTS = frozenset({"PDF", "HTML", "HTM", "JPG", "JPEG", "PNG", "GIF",
                       "TIFF", "SVG"})
#: Formats whose table the other checks read.
TABULAR = frozenset({"CSV", "TSV", "TXT"})

_ALIASES = {"TEXT/CSV": "CSV", "APPLICATION/JSON": "JSON",
            "APPLICATION/GEO+JSON": "GEOJSON", "GEO+JSON": "GEOJSON",
            "APPLICATION/VND.MS-EXCEL": "XLS", "HTM": "HTML",
            "TEXT/HTML": "HTML", "APPLICATION/PDF": "PDF",
            "APPLICATION/VND.OASIS.OPENDOCUMENT.SPREADSHEET": "ODS",
            "APPLICATION/VND.OPENXMLFORMATS-OFFICEDOCUMENT."
            "SPREADSHEETML.SHEET": "XLSX",
            "JPEG": "JPG", "GEOPACKAGE": "GPKG", "JSON-LD": "JSONLD"}


def normalise(fmt: Optional[str]) -> str:
    """``" .csv "`` → ``"CSV"``; media types map to their format."""
    value = (fmt or "").strip().lstrip(".").upper()
    return _ALIASES.get(value, value)


def extension(url_or_name: Optional[str]) -> str:
    """The format an address or file name's extension says."""
    path = urlparse(url_or_name or "").path
    return normalise(os.path.splitext(path)[1])


def declared_format(fmt: Optional[str], url: Optional[str]) -> str:
    """The resource's format field, else its file extension."""
    return normalise(fmt) or extension(url)


def check_format(fmt: Optional[str], url: Optional[str] = None,
                 looks_like_html: bool = False) -> Result:
    """The format check: a closed format fails and names the open one to
    use; a document (PDF, image) is a warning; an unknown format too."""
    found = declared_format(fmt, url)
    findings = []
    if looks_like_html and found != "HTML":
        findings.append({"code": "html_instead_of_data",
                         "severity": "error", "format": found})
    elif not found:
        findings.append({"code": "unknown_format", "severity": "warning"})
    elif found in CLOSED:
        findings.append({"code": "closed_format", "severity": "error",
                         "format": found, "instead": CLOSED[found]})
    elif found in DOCUMENTS:
        findings.append({"code": "not_machine_readable",
                         "severity": "warning", "format": found})
    elif found not in OPEN:
        findings.append({"code": "unknown_format", "severity": "warning",
                         "format": found})
    return {"check": "format", "status": status_of(findings),
            "findings": findings, "format": found}
