"""A Table Schema given in the resource itself, as ckanext-validation
takes it: JSON text or a JSON object in the resource's ``schema``, or a
schema file uploaded as ``schema_upload``.

It is stored as ckanext-validation stores it, ``json.dumps`` of the
descriptor, once it is known to be a Table Schema the checks can run
(frictionless reads it, every field's cell checker builds, the custom
checks are a list) and to fit the size limit. Nothing here imports CKAN.
"""
from __future__ import annotations

import json
from typing import Any, Optional

from frictionless import FrictionlessException, Schema

from ckanext.partnership.domain import inputs

from .custom import CustomChecks
from .schema import cell_check

__all__ = ["INLINE", "InlineSchemaError", "descriptor_of", "display_text", "excerpt",
           "is_inline", "problem_of", "stored_text", "stored_text_from_bytes"]

#: The standard's name in the checks (``standard``, ``validation_standard``)
#: of a resource that holds its own Table Schema.
INLINE = "inline"

#: The longest part of a reason that a message repeats.
_EXCERPT = 160


class InlineSchemaError(ValueError):
    """A Table Schema given inline that cannot be stored.

    ``code`` says why, ``params`` the details, so that callers word the
    message in the user's language; no parameter repeats more than a short
    excerpt of the value:

    - ``too_long``: ``length`` (characters), ``limit``;
    - ``encoding``: an uploaded file that is not UTF-8;
    - ``json``: ``line``, ``column`` of the first syntax error;
    - ``not_object``: JSON, but not an object;
    - ``text``: ``problem`` (``inputs.NUL`` or ``inputs.SURROGATE``), a
      character that cannot be stored;
    - ``no_fields``: a schema that defines no field;
    - ``invalid``: ``reason``, frictionless's (cut short).
    """

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code, params)


def excerpt(text: Any, length: int = _EXCERPT) -> str:
    """The start of a value that a message may repeat: at most ``length``
    characters, on one line."""
    text = " ".join(str(text).split())
    return text if len(text) <= length else text[: length - 1] + "…"


def is_inline(value: Any) -> bool:
    """Whether ``value`` is given as a Table Schema itself (a JSON object,
    or text that is JSON: it starts with ``{`` or ``[``), not as the name
    or the address of one."""
    if isinstance(value, (dict, list)):
        return True
    return isinstance(value, str) and value.lstrip()[:1] in ("{", "[")


def _strings(value: Any):
    """Every key and text of a JSON value, without recursion (the depth
    of what a client sends is not ours to choose)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for key, child in item.items():
                yield str(key)
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)


def problem_of(descriptor: dict[str, Any]) -> Optional[InlineSchemaError]:
    """Why the checks could not run ``descriptor`` as a Table Schema, or
    None."""
    for text in _strings(descriptor):
        problem = inputs.text_problem(text)
        if problem:
            return InlineSchemaError("text", problem=problem)
    try:
        schema = Schema.from_descriptor(dict(descriptor))
    except FrictionlessException as error:
        notes = [r.note for r in error.reasons] or [error.error.note]
        return InlineSchemaError("invalid", reason=excerpt("; ".join(notes)))
    except Exception as error:  # frictionless raises other kinds too
        return InlineSchemaError("invalid", reason=excerpt(error))
    if not schema.fields:
        return InlineSchemaError("no_fields")
    for field in schema.fields:
        try:
            cell_check(field, schema)
        except Exception as error:  # a pattern that does not compile...
            return InlineSchemaError("invalid", reason=excerpt(
                f"field {excerpt(field.name, 40)}: {error}"))
    custom = descriptor.get("custom_checks")
    if custom is not None:
        try:
            if not isinstance(custom, list):
                raise TypeError("custom_checks is not a list")
            CustomChecks(custom)
        except Exception as error:
            return InlineSchemaError("invalid", reason=excerpt(error))
    return None


def stored_text(value: Any, max_length: int = inputs.TABLE_SCHEMA_LENGTH) -> str:
    """The text under which a Table Schema given inline (JSON text or an
    object) is stored: ``json.dumps`` of it, as ckanext-validation does.
    Raises InlineSchemaError when it is not one the checks can run, or
    when the stored text would be longer than ``max_length`` characters."""
    if isinstance(value, str):
        if len(value) > max_length:
            raise InlineSchemaError("too_long", length=len(value), limit=max_length)
        try:
            descriptor = inputs.json_value(value)
        except inputs.JsonSyntaxError as error:
            raise InlineSchemaError("json", line=error.line, column=error.column) from None
    else:
        descriptor = value
    if not isinstance(descriptor, dict):
        raise InlineSchemaError("not_object")
    problem = problem_of(descriptor)
    if problem is not None:
        raise problem
    try:
        text = json.dumps(descriptor)
    except (TypeError, ValueError, RecursionError):
        raise InlineSchemaError("not_object") from None
    if len(text) > max_length:
        raise InlineSchemaError("too_long", length=len(text), limit=max_length)
    return text


def stored_text_from_bytes(payload: bytes,
                           max_length: int = inputs.TABLE_SCHEMA_LENGTH) -> str:
    """:func:`stored_text` of an uploaded schema file (UTF-8, with or
    without a byte order mark)."""
    try:
        text = payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InlineSchemaError("encoding") from None
    return stored_text(text, max_length)


def descriptor_of(ref: Any) -> Optional[dict[str, Any]]:
    """The Table Schema a stored inline ``schema`` holds, or None when
    ``ref`` is not one (a name, an address, nothing)."""
    if isinstance(ref, dict):
        return ref
    if not is_inline(ref):
        return None
    try:
        descriptor = json.loads(ref)
    except (ValueError, RecursionError):
        return None
    return descriptor if isinstance(descriptor, dict) else None


def display_text(value: Any) -> str:
    """A Table Schema the resource holds, as indented JSON for a person
    (accents as they are, keys in their order); '' when ``value`` names a
    standard instead. Text that is not JSON is given back as it is (a
    form shown again with what was typed)."""
    if not is_inline(value):
        return ""
    descriptor = value if isinstance(value, (dict, list)) else None
    if descriptor is None:
        try:
            descriptor = json.loads(value)
        except (ValueError, RecursionError):
            return value
    try:
        return json.dumps(descriptor, indent=2, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return str(value)
