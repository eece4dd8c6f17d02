# -*- coding: utf-8 -*-
"""The stack starts wherever the repository is cloned, including a directory
only its owner can enter (a clone in /root, or any private home): as root,
PostgreSQL runs as the 'postgres' user, who cannot enter it, so the cluster
lives outside the clone (stack/stack.sh ``pg_paths``)."""
from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import psycopg2

from tests.conftest import _free_port

ROOT = Path(__file__).resolve().parents[1]


def _stack(clone: Path, *args: str, port: int) -> subprocess.CompletedProcess:
    env = dict(os.environ, PARTNERSHIP_TEST_PG_PORT=str(port), CKAN_VERSION="2.11.6")
    return subprocess.run([str(clone / "stack" / "stack.sh"), *args], env=env,
                          capture_output=True, text=True, timeout=180)


def test_postgresql_starts_in_a_clone_only_its_owner_can_enter(tmp_path):
    private = tmp_path / "home"
    private.mkdir()
    private.chmod(0o700)
    clone = private / "ckanext-partnership"
    (clone / "stack").mkdir(parents=True)
    shutil.copy2(ROOT / "stack" / "stack.sh", clone / "stack" / "stack.sh")
    port = _free_port()
    cluster = clone / ".stack" / "test" / "pg"
    try:
        started = _stack(clone, "start-service", "test", "postgresql", port=port)
        assert started.returncode == 0, started.stderr
        with psycopg2.connect(host="127.0.0.1", port=port, user="ckan", password="ckan",
                              dbname="ckan_test") as conn, conn.cursor() as cursor:
            cursor.execute("select current_database()")
            assert cursor.fetchone() == ("ckan_test",)
        # the clone's permissions are as the user left them
        assert stat.S_IMODE(private.stat().st_mode) == 0o700
        assert (cluster / "PG_VERSION").is_file()
        status = _stack(clone, "status", "test", port=port)
        assert "postgresql  running" in status.stdout
        # safe to run again
        again = _stack(clone, "start-service", "test", "postgresql", port=port)
        assert again.returncode == 0, again.stderr
    finally:
        stopped = _stack(clone, "stop-service", "test", "postgresql", port=port)
        real = cluster.resolve()
    assert stopped.returncode == 0, stopped.stderr
    assert "postgresql  stopped" in _stack(clone, "status", "test", port=port).stdout
    with_pid = real / "postmaster.pid"
    assert not with_pid.exists()
    if cluster.is_symlink():  # root: the cluster outside the clone, removed with it
        shutil.rmtree(real.parent)
