# -*- coding: utf-8 -*-
"""CKAN's conventions for the extension's own actions, read from the code
(no database): each documents its parameters with their types and what it
returns, reads are marked side-effect free (GET in the API), and commits
go through the one ``defer_commit`` helper."""
from __future__ import annotations

import inspect
import re

import pytest
from ckan.authz import get_local_functions

from ckanext.partnership.logic.action import (
    agreements, comments, metadata, publication, resource_checks,
)

MODULES = (agreements, comments, metadata, publication, resource_checks)
ACTIONS = [(name, func) for module in MODULES for name, func in get_local_functions(module)]
READS = re.compile(r"_(show|list|count|stats|checks|check|history)$")


def test_every_module_has_actions():
    assert {m.__name__ for m in MODULES} == {f.__module__ for _n, f in ACTIONS}


@pytest.mark.parametrize("name,func", ACTIONS, ids=[n for n, _f in ACTIONS])
def test_an_action_documents_its_parameters_and_its_result(name, func):
    doc = inspect.getdoc(func) or ""
    params = re.findall(r"^:param (\w+):", doc, re.M)
    assert params, f"{name}: no :param:"
    untyped = [p for p in params if not re.search(rf"^:type {p}:", doc, re.M)]
    assert not untyped, f"{name}: no :type: for {untyped}"
    assert re.search(r"^:returns:", doc, re.M) and re.search(r"^:rtype:", doc, re.M), name


@pytest.mark.parametrize("name,func", ACTIONS, ids=[n for n, _f in ACTIONS])
def test_a_read_is_side_effect_free_and_a_write_is_not(name, func):
    assert bool(getattr(func, "side_effect_free", False)) == bool(READS.search(name)), name


@pytest.mark.parametrize("module", MODULES, ids=[m.__name__.split(".")[-1] for m in MODULES])
def test_commits_go_through_the_defer_commit_helper(module):
    source = inspect.getsource(module)
    assert not re.search(r"Session\.(commit|rollback)\(|repo\.commit\(", source)
