# -*- coding: utf-8 -*-
"""A Table Schema given in the resource itself (``checks/inline.py``):
pure functions, no database."""
from __future__ import annotations

import json

import pytest

from ckanext.partnership.checks import inline
from ckanext.partnership.checks.catalogue import PACKAGED
from ckanext.partnership.domain import inputs


def code_of(value, **kwargs) -> str:
    with pytest.raises(inline.InlineSchemaError) as error:
        inline.stored_text(value, **kwargs)
    return error.value.code


def test_what_is_inline():
    assert inline.is_inline({"fields": []}) and inline.is_inline([])
    assert inline.is_inline('  {"fields": []}') and inline.is_inline("[1]")
    for ref in ("scdl/subventions", "https://example.org/schema.json", "", None, '""', 3):
        assert not inline.is_inline(ref)


def test_stored_as_ckanext_validation_stores_it():
    descriptor = {"fields": [{"name": "département", "type": "integer"}]}
    assert inline.stored_text(descriptor) == json.dumps(descriptor)
    assert inline.stored_text(json.dumps(descriptor, indent=4)) == json.dumps(descriptor)
    assert inline.descriptor_of(inline.stored_text(descriptor)) == descriptor


@pytest.mark.parametrize("value, code", [
    ("{a,b}", "json"),
    ("[" * 100000, "json"),
    ("[1, 2]", "not_object"),
    ({"a": 1}, "invalid"),
    ({"fields": []}, "no_fields"),
    ({"fields": [{"name": "x", "type": "nonsense"}]}, "invalid"),
    ({"fields": [{"name": "x", "constraints": {"pattern": "("}}]}, "invalid"),
    ({"fields": [{"name": "x"}], "custom_checks": {"name": "x"}}, "invalid"),
    ({"fields": [{"name": "a\x00"}]}, "text"),
    ({"fields": [{"name": "a", "description": "\ud800"}]}, "text"),
    ({"fields": [{"name": "a"}], "\x00": 1}, "text"),
])
def test_what_the_checks_could_not_run_is_refused(value, code):
    assert code_of(value) == code


def test_the_reason_is_short():
    fields = [{"name": f"c{n}", "type": "nonsense" * 200} for n in range(50)]
    with pytest.raises(inline.InlineSchemaError) as error:
        inline.stored_text({"fields": fields})
    assert len(error.value.params["reason"]) <= 160


def test_the_size_is_bounded_on_what_is_stored():
    descriptor = {"fields": [{"name": "a", "description": "é" * 100}]}
    text = json.dumps(descriptor)  # each é is stored as \u00e9
    assert inline.stored_text(descriptor, max_length=len(text)) == text
    assert code_of(descriptor, max_length=len(text) - 1) == "too_long"
    assert code_of(" " * 11 + "{}", max_length=10) == "too_long"  # before parsing


def test_every_packaged_standard_fits_and_passes():
    for path in sorted(PACKAGED.glob("*.json")):
        if path.name == "index.json":
            continue
        text = inline.stored_text_from_bytes(path.read_bytes())
        assert len(text) < inputs.TABLE_SCHEMA_LENGTH / 4
        assert inline.descriptor_of(text) == json.loads(path.read_bytes())


def test_an_uploaded_file_is_utf8():
    assert inline.stored_text_from_bytes(b'\xef\xbb\xbf{"fields": [{"name": "a"}]}') \
        == '{"fields": [{"name": "a"}]}'
    with pytest.raises(inline.InlineSchemaError) as error:
        inline.stored_text_from_bytes('{"fields": [{"name": "é"}]}'.encode("cp1252"))
    assert error.value.code == "encoding"


def test_shown_to_a_person():
    descriptor = {"title": "Communes", "fields": [{"name": "département"}]}
    shown = inline.display_text(json.dumps(descriptor))
    assert shown == json.dumps(descriptor, indent=2, ensure_ascii=False)
    assert inline.display_text(descriptor) == shown
    assert inline.display_text("{a,b") == "{a,b"  # what was typed, shown again
    assert inline.display_text("scdl/subventions") == ""
    assert inline.display_text(None) == ""
