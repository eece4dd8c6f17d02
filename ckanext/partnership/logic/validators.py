# -*- coding: utf-8 -*-
"""Validators of the metadata profile, all prefixed ``partnership_``.

Messages are translatable: a ValidationError names the field and says what
is wrong in the user's language.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any
from urllib.parse import urlparse

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.model.license import LicenseRegister
from ckanext.scheming.validation import scheming_validator

from ckanext.partnership import resource_checks
from ckanext.partnership.checks.catalogue import is_web_address
from ckanext.partnership.domain import inputs, metadata_rules
from ckanext.partnership.domain.vocabularies import ACCESS_LEVELS, BY_NAME, FREQUENCIES

_ = tk._
missing = tk.missing
Invalid = tk.Invalid

def _blank(value: Any) -> bool:
    return value is missing or value is None or (isinstance(value, str) and not value.strip())


def _text_message(problem: str, max_length: Any = None, length: Any = None) -> str:
    """The message of an ``inputs.text_problem``."""
    if problem == inputs.NUL:
        return _("Contains a NUL character (\\0), which cannot be stored: remove it")
    if problem == inputs.SURROGATE:
        return _("Contains an invalid character (a lone UTF-16 surrogate, U+D800 to U+DFFF): "
                 "check the text's encoding")
    return _("At most {n} characters ({length} given)").format(n=max_length, length=length)


def partnership_text(max_length: Any = None):
    """Text that can be stored: no NUL character, no lone surrogate, and
    at most ``max_length`` characters. Put it after ``unicode_safe``."""

    def validator(value: Any) -> Any:
        problem = inputs.text_problem(value, max_length)
        if problem:
            raise Invalid(_text_message(problem, max_length, len(value)))
        return value

    return validator


def partnership_whole_number(minimum: int, maximum: int):
    """A whole number from ``minimum`` to ``maximum``; blank is None (put
    ``default`` or ``not_empty`` before it when the value is required)."""

    def validator(value: Any) -> Any:
        if _blank(value):
            return None
        number = inputs.whole_number(value, minimum, maximum)
        if number is None:
            raise Invalid(_("Must be a whole number from {minimum} to {maximum}").format(
                minimum=minimum, maximum=maximum))
        return number

    return validator


def partnership_date(value: Any) -> Any:
    """A date as ``YYYY-MM-DD``, from ``YYYY-MM-DD``, an ISO date-time or
    ``JJ/MM/AAAA``."""
    if _blank(value):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return metadata_rules.parse_date(value).isoformat()
    text = str(value).strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day).isoformat()
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}([T ].*)?", text):
            return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    raise Invalid(
        _('"{value}" is not a date: write DD/MM/YYYY or YYYY-MM-DD').format(value=text)
    )


def partnership_day(value: Any) -> Any:
    """A day parameter of an action (``at``, ``since``, ``until``), strictly
    ``YYYY-MM-DD``, as a date."""
    if _blank(value):
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise Invalid(_("Not a date: use YYYY-MM-DD"))


def partnership_one_of(allowed: Any):
    """One of ``allowed``, or an error that lists them (text refused before
    is not told twice)."""
    def validator(key, data, errors, context):
        value = data.get(key)
        if not errors.get(key) and value not in allowed:
            errors[key].append(_("Unknown value \"{value}\"; allowed values: {allowed}").format(
                value=value, allowed=", ".join(allowed)))

    return validator


def partnership_organization(key, data, errors, context):
    """An organisation's name or id, as its id; text refused before (a NUL,
    too long) is not looked up."""
    value = data.get(key)
    if errors.get(key) or _blank(value):
        return
    org = model.Group.get(str(value))
    if org is None or not org.is_organization:
        errors[key].append(_("Organization not found"))
        return
    data[key] = org.id


@scheming_validator
def partnership_choice(field: dict[str, Any], schema: dict[str, Any]):
    """One value (or, for themes, one or more) of the field's vocabulary
    (``partnership_vocabulary`` in the schema). Several values are stored as
    a JSON list."""
    terms, several = BY_NAME[field["partnership_vocabulary"]]
    allowed = [t.value for t in terms]

    def validator(key, data, errors, context):
        value = data.get(key)
        if _blank(value):
            data[key] = "[]" if several else ""
            return
        if several:
            if isinstance(value, str):
                try:
                    parsed = json.loads(value)
                    value = parsed if isinstance(parsed, list) else [value]
                except ValueError:
                    value = [value]
            if not isinstance(value, list):
                errors[key].append(_("Expected a list of values"))
                return
            values = [v for v in value if not _blank(v)]
        else:
            values = [value]
        unknown = [v for v in values if v not in allowed]
        for v in unknown:
            errors[key].append(
                _('Unknown value "{value}"; allowed values: {allowed}').format(
                    value=v, allowed=", ".join(allowed)
                )
            )
        if unknown:
            return
        if several:
            # a set of values, kept in the vocabulary's order
            data[key] = json.dumps([a for a in allowed if a in values])
        else:
            data[key] = values[0]

    return validator


def partnership_default_access(key, data, errors, context):
    """Open data unless said otherwise."""
    if _blank(data.get(key)):
        data[key] = ACCESS_LEVELS[0].value


def partnership_period_end(key, data, errors, context):
    """The end of a period is not before its start (the ``start`` subfield
    beside it)."""
    end = data.get(key)
    start = data.get(key[:-1] + ("start",))
    if _blank(end) or _blank(start) or errors.get(key[:-1] + ("start",)):
        return
    if metadata_rules.parse_date(end) and metadata_rules.parse_date(start) and (
        metadata_rules.parse_date(end) < metadata_rules.parse_date(start)
    ):
        errors[key].append(_("The end of the period is before its start"))


def _geometry_message(code: str) -> str:
    return {
        "json": _("Not valid GeoJSON"),
        "type": _("The outline must be a GeoJSON Polygon or MultiPolygon"),
        "rings": _("The polygon has no coordinates"),
        "ring-size": _("Each ring of the polygon needs at least 4 positions"),
        "ring-open": _("Each ring of the polygon must end where it starts"),
        "position": _("Each position must be [longitude, latitude] in numbers"),
        "range": _(
            "Coordinates must be longitude (-180 to 180) and latitude (-90 to 90), WGS 84"
        ),
    }[code]


def partnership_geometry(value: Any) -> Any:
    """A GeoJSON Polygon or MultiPolygon in WGS 84, stored compact."""
    if _blank(value):
        return value
    error = metadata_rules.geometry_error(value)
    if error:
        raise Invalid(_geometry_message(error))
    geometry = json.loads(value) if isinstance(value, str) else value
    return json.dumps(geometry, separators=(",", ":"))


_TERRITORY_CODE = re.compile(r"(\d{2,3}|2[AB]|\d{5}|2[AB]\d{3}|\d{9})")


def partnership_territory_code(value: Any) -> Any:
    """An official code: INSEE code of a commune (5 characters), of a
    département (2 or 3) or of a région (2), or an EPCI's SIREN (9 digits)."""
    if _blank(value):
        return value
    text = str(value).strip().upper()
    if not _TERRITORY_CODE.fullmatch(text):
        raise Invalid(
            _('"{value}" is not an official territory code (INSEE code or SIREN)').format(
                value=value
            )
        )
    return text


def partnership_uri(value: Any) -> Any:
    """An http(s) address."""
    if _blank(value):
        return value
    parsed = urlparse(str(value).strip())
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise Invalid(_('"{value}" is not a web address (http:// or https://)').format(value=value))
    return str(value).strip()


def partnership_license(value: Any) -> Any:
    """A licence of the site's list (``licenses_group_url``)."""
    if _blank(value):
        return value
    ids = [lic.id for lic in LicenseRegister().licenses]
    if value not in ids:
        allowed = ", ".join(ids)
        raise Invalid(
            _('Unknown licence "{value}"; licences of this portal: {allowed}').format(
                value=value, allowed=allowed
            )
        )
    return value


def partnership_siren(value: Any) -> Any:
    """A SIREN: 9 digits with a valid checksum (spaces allowed)."""
    if _blank(value):
        return value
    digits = re.sub(r"\s", "", str(value))
    if not metadata_rules.siren_valid(digits):
        raise Invalid(_('"{value}" is not a valid SIREN number (9 digits)').format(value=value))
    return digits


def partnership_license_list(value: Any) -> Any:
    """A list of licence ids of the site's list (a JSON list or a
    comma-separated string is accepted)."""
    if _blank(value):
        return []
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
            value = parsed if isinstance(parsed, list) else [value]
        except ValueError:
            value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list):
        raise Invalid(_("Expected a list of values"))
    return [partnership_license(v) for v in value]


def partnership_frequency(value: Any) -> Any:
    """One of the 13 update frequencies (an EU frequency URI)."""

    if _blank(value):
        return value
    allowed = [t.value for t in FREQUENCIES]
    if value not in allowed:
        raise Invalid(_('Unknown value "{value}"; allowed values: {allowed}').format(
            value=value, allowed=", ".join(allowed)))
    return value


def partnership_table_schema(key, data, errors, context):
    """The data standard a resource follows (its ``schema``, as
    ckanext-validation names it): empty (the dataset's ``conforms_to``
    applies), the name of a standard of the catalogue (``scdl/subventions``)
    or the http(s) address of a Table Schema.

    A name the resource already had stays valid when a refresh of the
    catalogue has dropped it, so that the dataset can still be saved; only
    new or changed values must be in the catalogue."""

    value = data.get(key)
    if _blank(value):
        data[key] = ""
        return
    text = value.strip() if isinstance(value, str) else None
    if text and (
        is_web_address(text)
        or resource_checks.standards().resolve(text)
        or text == _stored_resource_value(key, data, context)
    ):
        data[key] = text
        return
    names = resource_checks.standards().names()
    errors[key].append(
        _('"{value}" is neither a standard of the catalogue (for example {example}) '
          "nor the web address (http:// or https://) of a Table Schema").format(
            value=value, example=names[0] if names else "scdl/subventions"
        )
    )


def _stored_resource_value(key, data, context) -> Any:
    """What the resource being validated holds now under ``key``'s name,
    or None for a new resource."""
    resource_id = data.get(key[:-1] + ("id",))
    if _blank(resource_id):
        return None
    resource = (context.get("model") or model).Resource.get(resource_id)
    return (resource.extras or {}).get(key[-1]) if resource else None
