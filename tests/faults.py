# -*- coding: utf-8 -*-
"""Faults injected for real into the test stack: a service stopped by
``stack/stack.sh stop-service``, then started again whatever happens, so
that the tests after it find the stack whole."""
from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path
from typing import Iterator

import ckan.plugins.toolkit as tk

ROOT = Path(__file__).resolve().parent.parent
STACK = ROOT / "stack" / "stack.sh"

_CONFIG = {"redis": ("PARTNERSHIP_REDIS_URL", "ckan.redis.url"),
           "solr": ("PARTNERSHIP_SOLR_URL", "solr_url")}


def _stack(*args: str) -> str:
    done = subprocess.run([str(STACK), *args], cwd=ROOT, env=dict(os.environ),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@contextlib.contextmanager
def stopped(service: str) -> Iterator[None]:
    """The test stack's ``service`` (redis or solr) stopped for the block."""
    variable, option = _CONFIG[service]
    env = dict(line.split("=", 1) for line in _stack("env", "test").splitlines())
    # the service stopped must be the one the tests talk to
    assert env[variable] == tk.config[option], (env[variable], tk.config[option])
    _stack("stop-service", "test", service)
    try:
        yield
    finally:
        _stack("start", "test")
