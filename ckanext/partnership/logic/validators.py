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
from ckan.lib.navl.dictization_functions import StopOnError
from ckan.model.license import LicenseRegister
from ckanext.scheming.validation import scheming_validator

from ckanext.partnership import model as pmodel
from ckanext.partnership import resource_checks
from ckanext.partnership.checks import dictionary, inline
from ckanext.partnership.checks.catalogue import is_web_address
from ckanext.partnership.domain import access, annual_review, inputs, metadata_rules
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


def partnership_review_year(value: Any) -> Any:
    """The calendar year of an annual review, from
    ``annual_review.FIRST_YEAR`` to this one, as a whole number."""
    today = pmodel.now().date()
    error = annual_review.year_error(value, today)
    if error == "not_a_year":
        raise Invalid(_("Not a year: use YYYY"))
    if error:
        raise Invalid(_("Choose a year from {first} to {last}").format(
            first=annual_review.FIRST_YEAR, last=today.year))
    return int(value)


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


def partnership_access_restriction(key, data, errors, context):
    """The reason of a restriction belongs to restricted-access data only:
    open data stores none, whatever was sent, and an empty reason is not
    stored either (plain CKAN's show schema refuses an empty extra)."""
    if _blank(data.get(key)) or not access.is_restricted(
            data.get(("access_rights",)) or ACCESS_LEVELS[0].value):
        data.pop(key, None)
        raise StopOnError


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


def partnership_term_changes(value: Any) -> Any:
    """An amendment's changes: a dictionary (or its JSON) of the
    agreement's terms (``AGREEMENT_TERMS``) and their new values; each
    value is checked as an update checks it."""
    from ckanext.partnership.domain.agreement_calendar import AGREEMENT_TERMS

    if value is missing or value is None or value == "":
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if not isinstance(value, dict):
        raise Invalid(_("Expected a dictionary of terms and their new values"))
    unknown = sorted(str(k) for k in value if k not in AGREEMENT_TERMS)
    if unknown:
        raise Invalid(_("Not a term of the agreement: {terms} (the terms: {allowed})").format(
            terms=", ".join(unknown), allowed=", ".join(AGREEMENT_TERMS)))
    return value


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
    ckanext-validation names it and takes it):

    - empty: the dataset's ``conforms_to`` applies;
    - the name of a standard of the catalogue (``scdl/subventions``) or the
      http(s) address of a Table Schema, stored as given (stripped);
    - a Table Schema itself, as JSON text or a JSON object, or a schema
      file uploaded as ``schema_upload``: stored as ckanext-validation
      stores it (``json.dumps``), once it is a Table Schema the checks can
      run, of at most ``inputs.TABLE_SCHEMA_LENGTH`` characters.

    ckanext-validation's form fields ``schema_upload``, ``schema_url`` and
    ``schema_json`` are taken in its order (the first given wins over
    ``schema``) and never stored themselves.

    A name the resource already had stays valid when a refresh of the
    catalogue has dropped it, so that the dataset can still be saved; only
    new or changed values must be in the catalogue. Refusals repeat at most
    a short excerpt of the value."""

    try:
        value = _schema_given(key, data)
    except _SchemaRefused as refused:
        errors[key].append(str(refused))
        return
    if value is missing or value is None:
        data.pop(key, None)
        return
    if isinstance(value, bytes):  # from Python callers
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        problem = inputs.text_problem(value)
        if problem:
            errors[key].append(_text_message(problem))
            return
        value = value.strip()
        if not value:
            data[key] = ""
            return
    if inline.is_inline(value):
        try:
            data[key] = inline.stored_text(value)
        except inline.InlineSchemaError as error:
            errors[key].append(_inline_message(error))
        return
    if not isinstance(value, str):
        errors[key].append(_inline_message(inline.InlineSchemaError("not_object")))
        return
    if len(value) > inputs.URL_LENGTH:
        errors[key].append(_text_message(inputs.TOO_LONG, inputs.URL_LENGTH, len(value)))
        return
    if (
        is_web_address(value)
        or resource_checks.standards().resolve(value)
        or value == _stored_resource_value(key, data, context)
    ):
        data[key] = value
        return
    names = resource_checks.standards().names()
    errors[key].append(
        _('"{value}" is neither a standard of the catalogue (for example {example}), '
          "nor the web address (http:// or https://) of a Table Schema, "
          "nor a Table Schema in JSON").format(
            value=inline.excerpt(value, 40), example=names[0] if names else "scdl/subventions"
        )
    )


def partnership_table_schema_output(value: Any) -> Any:
    """A resource's ``schema`` as ckanext-validation's scheming preset
    gives it back: a Table Schema stored inline as its JSON object, a name
    or an address as stored."""
    descriptor = inline.descriptor_of(value)
    return descriptor if descriptor is not None else value


#: ckanext-validation's fields for the ``schema``, in its order of priority.
_SCHEMA_FIELDS = ("schema_upload", "schema_url", "schema_json")


class _SchemaRefused(Exception):
    """A ``schema_*`` field that cannot give the ``schema``."""


def _schema_given(key, data) -> Any:
    """The ``schema`` the resource asks for: from the first of
    ckanext-validation's ``schema_upload``, ``schema_url``, ``schema_json``
    that is given (an upload without a file is not), else ``schema``
    itself. The three are removed from the resource's extras (CKAN keeps
    unknown resource keys), given or not."""
    extras = data.get(key[:-1] + ("__extras",))
    given = {}
    for name in _SCHEMA_FIELDS:
        if isinstance(extras, dict) and name in extras:
            given[name] = extras.pop(name)
        if key[:-1] + (name,) in data:
            given[name] = data.pop(key[:-1] + (name,))
    upload = given.get("schema_upload")
    if _is_file(upload):
        return _uploaded_schema(upload)
    url = given.get("schema_url")
    if not _blank(url):
        if not is_web_address(url):
            raise _SchemaRefused(_("schema_url must be a web address (http:// or https://)"))
        return url.strip()
    if not _blank(given.get("schema_json")):
        return given["schema_json"]
    return data.get(key)


def _is_file(value: Any) -> bool:
    """An uploaded file (werkzeug's FileStorage or cgi's FieldStorage) with
    a name or some content: a form's empty file input is not one."""
    stream = getattr(value, "stream", None) or getattr(value, "file", None)
    if stream is None or not hasattr(stream, "read"):
        return False
    return bool(getattr(value, "filename", "")) or bool(getattr(value, "content_length", 0))


def _uploaded_schema(upload: Any) -> str:
    """The stored text of an uploaded schema file, read up to the size
    limit (a larger file is refused without being read to its end)."""
    stream = getattr(upload, "stream", None) or upload.file
    limit = inputs.TABLE_SCHEMA_LENGTH * 4  # UTF-8: at most 4 bytes a character
    payload = stream.read(limit + 1)
    if isinstance(payload, str):
        payload = payload.encode("utf-8", "surrogatepass")
    if len(payload) > limit:
        raise _SchemaRefused(_("The schema file is too large: a Table Schema takes "
                                 "at most {limit} characters").format(
                                     limit=inputs.TABLE_SCHEMA_LENGTH))
    try:
        return inline.stored_text_from_bytes(payload)
    except inline.InlineSchemaError as error:
        raise _SchemaRefused(_inline_message(error)) from None


def _inline_message(error: inline.InlineSchemaError) -> str:
    """The message of an ``inline.InlineSchemaError``."""
    params = error.params
    if error.code == "too_long":
        return _("The Table Schema is too long: at most {limit} characters ({length} given)"
                 ).format(limit=params["limit"], length=params["length"])
    if error.code == "encoding":
        return _("The schema file is not UTF-8 text")
    if error.code == "json":
        return _("The Table Schema is not valid JSON (line {line}, column {column})").format(
            line=params["line"], column=params["column"])
    if error.code == "not_object":
        return _("A Table Schema is a JSON object with a list of fields")
    if error.code == "text":
        return _text_message(params["problem"])
    if error.code == "no_fields":
        return _("The Table Schema defines no field")
    return _("Not a valid Table Schema: {reason}").format(reason=params["reason"])


def _stored_resource_value(key, data, context) -> Any:
    """What the resource being validated holds now under ``key``'s name,
    or None for a new resource."""
    resource_id = data.get(key[:-1] + ("id",))
    if _blank(resource_id):
        return None
    resource = (context.get("model") or model).Resource.get(resource_id)
    return (resource.extras or {}).get(key[-1]) if resource else None


def partnership_data_dictionary(key, data, errors, context):
    """A file's data dictionary (000 §10.1.2), stored as the JSON text of
    ``checks.dictionary.columns`` (rows left blank dropped; nothing
    stored for none), whatever the spelling: a list of columns, its JSON
    text, a form's rows (gathered by ``metadata.dictionary.prepare``).
    Refusals name the column's position, never repeat the value."""
    value = data.get(key)
    if value is missing or value is None:
        data.pop(key, None)
        return
    try:
        text = dictionary.stored_text(value)
    except dictionary.DictionaryError as error:
        errors[key].append(_dictionary_message(error))
        return
    if text:
        data[key] = text
    else:
        data.pop(key, None)


def partnership_data_dictionary_output(value: Any) -> Any:
    """A resource's ``data_dictionary`` as ``resource_show`` gives it: the
    list of its columns."""
    return dictionary.read(value)


def _dictionary_label(key: str) -> str:
    return {"name": _("name"), "type": _("type"), "description": _("description"),
            "unit": _("unit")}.get(key, key)


def _dictionary_message(error: dictionary.DictionaryError) -> str:
    """The message of a ``dictionary.DictionaryError``."""
    params = dict(error.params)
    if "key" in params:
        params["key"] = _dictionary_label(params["key"])
    code = error.code
    if code == "too_large":
        return _("The data dictionary is too long: at most {limit} characters "
                 "({length} given)").format(**params)
    if code == "json":
        return _("The data dictionary is not valid JSON (line {line}, column {column})"
                 ).format(**params)
    if code == "not_list":
        return _("A data dictionary is a list of columns, each with a name, a type, "
                 "a description and, optionally, a unit")
    if code == "too_many":
        return _("The data dictionary describes at most {limit} columns").format(**params)
    if code == "not_object":
        return _("Column {row}: a column is an object with a name, a type, a "
                 "description and, optionally, a unit").format(**params)
    if code == "unknown_key":
        return _("Column {row}: unknown key \"{key}\" (allowed: name, type, description, "
                 "unit)").format(**params)
    if code == "required":
        return {"name": _("Column {row}: a name is required"),
                "type": _("Column {row}: a type is required"),
                }.get(error.params["key"], _("Column {row}: a description is required")
                      ).format(**params)
    if code == "not_text":
        return _("Column {row}, {key}: must be text").format(**params)
    if code == "text":
        return _("Column {row}, {key}: {problem}").format(
            row=params["row"], key=params["key"], problem=_text_message(params["problem"]))
    if code == "too_long":
        return _("Column {row}, {key}: at most {limit} characters ({length} given)"
                 ).format(**params)
    if code == "type":
        return _('Column {row}: unknown type "{value}"; allowed types: {allowed}').format(
            allowed=", ".join(dictionary.TYPES), **params)
    return _('Column {row}: the name "{name}" is already that of column {first}').format(
        **params)
