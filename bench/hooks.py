"""What the partnership plugin's dataset hooks cost, against the same portal
without them.

    stack/stack.sh start test            # the test stack, on your ports
    .venv/bin/python bench/hooks.py [--datasets 1000] [--rounds 15]

On the running test stack (PostgreSQL, Solr, Redis of ``stack/stack.sh env
test``) it starts two CKAN web servers (``ckan run``), each on a free port
of 127.0.0.1, on the same database, Solr core and Redis:

* partnership: test.ini as it is (``partnership scheming_datasets
  scheming_organizations dcat activity``);
* vanilla: the same file with ``partnership`` replaced by a plugin of this
  script that only registers the extension's validators and helpers (the
  schema files name them, so scheming needs them) and its licence list:
  none of the extension's hooks, actions or DCAT profile.

It seeds, through the API of the partnership server (so every hook runs),
an organisation with ``--datasets`` public datasets of every field of the
schema and 3 files each, once (a later run reuses them), then stores a
check report for each file with one SQL statement (as the worker would),
so that the search hook has real rows to read.

Then, interleaved (each round asks both servers each request, in turn,
the order swapped every round), it times from this process over HTTP
(keep-alive, 127.0.0.1): package_show, package_search rows=10/100/1000,
a public package_create (a new dataset of every field with 3 files) and a
public package_update (the same dataset sent back changed). It prints p50,
p95 and the ratio partnership/vanilla of the p50s. It measures, it does not
assert.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.conftest import serve  # noqa: E402  (the tests' own ckan run)
CKAN = ROOT / ".venv" / "bin" / "ckan"
STACK = ROOT / "stack" / "stack.sh"
ORG = "bench-hooks"
WRITES = "bench-hooks-writes"
ADMIN = "bench_hooks_admin"
EU_FREQ = "http://publications.europa.eu/resource/authority/frequency/"
EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
OUTLINE = {"type": "Polygon", "coordinates": [[[5.2718, 43.4735], [5.5512, 43.4735],
                                               [5.5512, 43.6247], [5.2718, 43.6247],
                                               [5.2718, 43.4735]]]}

VANILLA_PLUGIN = '''
import os

import ckan.plugins as p
import ckan.plugins.toolkit as tk

import ckanext.partnership as partnership
from ckanext.partnership import helpers
from ckanext.partnership.logic import validators


@tk.blanket.validators(validators)
@tk.blanket.helpers(helpers)
class ValidatorsOnly(p.SingletonPlugin):
    """What the schema files name (validators, choices helpers) and the
    licence list; none of the extension's hooks."""
    p.implements(p.IConfigurer)

    def update_config(self, config):
        config["licenses_group_url"] = "file://" + os.path.join(
            os.path.dirname(partnership.__file__), "licenses.json")
'''


def stack_env(database: str | None) -> dict[str, str]:
    """The CKAN_* variables of the running test stack (as make test sets),
    on another database of its PostgreSQL when one is named."""
    out = subprocess.run([str(STACK), "env", "test"], check=True, capture_output=True,
                         text=True).stdout
    values = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    # the PostgreSQL of this checkout's stack, not another one on the same
    # machine: the ports come from PARTNERSHIP_TEST_*_PORT, as for make test
    pid_file = ROOT / ".stack" / "test" / "pg" / "postmaster.pid"
    port = pid_file.read_text().splitlines()[3] if pid_file.exists() else None
    if port is None or f":{port}/" not in values["PARTNERSHIP_DB_URL"]:
        sys.exit("the test stack of this checkout does not run on the ports exported "
                 "(PARTNERSHIP_TEST_PG_PORT...): start it with stack/stack.sh start test")
    db_url = values["PARTNERSHIP_DB_URL"]
    if database:
        db_url = db_url.rsplit("/", 1)[0] + "/" + database
    return {"CKAN_SQLALCHEMY_URL": db_url,
            "CKAN_SOLR_URL": values["PARTNERSHIP_SOLR_URL"],
            "CKAN_REDIS_URL": values["PARTNERSHIP_REDIS_URL"],
            "CKAN_STORAGE_PATH": values["PARTNERSHIP_STORAGE"]}


def write_configs(folder: Path, site_id: str | None) -> tuple[Path, Path]:
    """test.ini, and its vanilla twin with the validators-only plugin
    (declared by an entry point in ``folder``, put on PYTHONPATH)."""
    text = (ROOT / "test.ini").read_text(encoding="utf-8")
    if site_id:  # its own documents in the Solr core, which the tests leave alone
        text = re.sub(r"^ckan\.site_id = .*$", f"ckan.site_id = {site_id}", text, flags=re.M)
    ours = folder / "partnership.ini"
    ours.write_text(text.replace("%(here)s", str(ROOT)), encoding="utf-8")
    vanilla_text = re.sub(r"^ckan\.plugins = partnership ",
                          "ckan.plugins = bench_validators_only ", text, flags=re.M)
    vanilla_text = re.sub(r"^(ckanext\.dcat\.rdf\.profiles = .*) partnership$", r"\1",
                          vanilla_text, flags=re.M)
    vanilla = folder / "vanilla.ini"
    vanilla.write_text(vanilla_text.replace("%(here)s", str(ROOT)), encoding="utf-8")
    (folder / "bench_validators_only.py").write_text(VANILLA_PLUGIN, encoding="utf-8")
    info = folder / "bench_validators_only-0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: bench-validators-only\n"
                                   "Version: 0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[ckan.plugins]\nbench_validators_only = bench_validators_only:ValidatorsOnly\n",
        encoding="utf-8")
    return ours, vanilla


def ckan_cli(env: dict[str, str], ini: Path, *args: str) -> str:
    return subprocess.run([str(CKAN), "-c", str(ini), *args], env=env, check=True,
                          capture_output=True, text=True, cwd=ROOT).stdout


_RENDER = re.compile(r" /api/3/action/\S+ render time ([0-9.]+) seconds")


class Server:
    """A ``ckan run`` of the tests' (``tests.conftest.serve``), and how to
    ask it."""

    def __init__(self, name: str, live: Any):
        self.name = name
        self.url = live.url
        self.http = requests.Session()
        self.reader = live.log.open("r", encoding="utf-8", errors="replace")

    def call(self, action: str, token: str, data: dict[str, Any] | None = None,
             params: dict[str, Any] | None = None) -> Any:
        headers = {"Authorization": token}
        if data is None:
            r = self.http.get(f"{self.url}/api/3/action/{action}", params=params,
                              headers=headers, timeout=300)
        else:
            r = self.http.post(f"{self.url}/api/3/action/{action}", json=data,
                               headers=headers, timeout=300)
        body = r.json()
        if not body.get("success"):
            raise RuntimeError(f"{self.name} {action}: {body.get('error')}")
        return body["result"]

    def server_time(self) -> float:
        """The time CKAN logged for the last request (its ``render time``:
        from the request's start in Flask to its response)."""
        for _ in range(200):
            found = _RENDER.findall(self.reader.read())
            if found:
                return float(found[-1])
            time.sleep(0.005)
        raise RuntimeError(f"{self.name}: no render time logged")


def dataset(owner_org: str, name: str, notes: str = "Données de test.") -> dict[str, Any]:
    """package_create's input: every field of the schema, 3 files."""
    return {
        "name": name, "title": f"Jeu {name}", "notes": notes, "owner_org": owner_org,
        "created": "2025-01-05", "modified": "2025-11-10", "license_id": "lov2",
        "theme": [EU_THEME + "GOVE", EU_THEME + "SOCI"], "tag_string": "prénoms,état civil",
        "frequency": EU_FREQ + "MONTHLY_2",
        "spatial_coverage": [{"text": "Aix-en-Provence", "code": "13001",
                              "uri": "https://geo.api.gouv.fr/communes/13001",
                              "geom": json.dumps(OUTLINE, separators=(",", ":"))}],
        "granularity": "commune",
        "temporal_coverage": [{"start": "2025-01-01", "end": "2025-12-31"}],
        "access_rights": "http://publications.europa.eu/resource/authority/access-right/PUBLIC",
        "url": "https://www.aixenprovence.fr", "author": "Ville d'Aix-en-Provence",
        "maintainer": "Service open data", "maintainer_email": "opendata@aix.exemple.fr",
        "private": False,
        "resources": [{"name": f"Fichier {i}", "format": "CSV",
                       "url": f"https://data.exemple.fr/{name}/{i}.csv"} for i in range(3)],
    }


REPORT = {"status": "success", "rows": 1200, "delimiter": ",", "size": 48213,
          "standard": None, "results": [
              {"check": check, "status": "success", "findings": []}
              for check in ("file", "encoding", "structure", "schema", "personal_data")]}


def seed(server: Server, token: str, env: dict[str, str], count: int) -> None:
    """The organisations, ``count`` datasets (created once) and a stored
    report for each of their files."""
    for org in (ORG, WRITES):
        try:
            server.call("organization_show", token, params={"id": org})
        except RuntimeError:
            server.call("organization_create", token, {"name": org, "title": org})
    have = server.call("package_search", token, params={
        "fq": f"organization:{ORG}", "rows": 0, "include_private": True})["count"]
    started = time.monotonic()

    def create(i: int) -> None:
        r = requests.post(f"{server.url}/api/3/action/package_create", timeout=300,
                          json=dataset(ORG, f"bench-hooks-{i:05d}"),
                          headers={"Authorization": token})
        if not r.json().get("success"):
            raise RuntimeError(f"seeding: {r.text[:500]}")
        if (i + 1) % 100 == 0:
            print(f"  seeded {i + 1}/{count} ({time.monotonic() - started:.0f} s)",
                  file=sys.stderr)

    with ThreadPoolExecutor(2) as pool:  # the machine has 2 cores
        list(pool.map(create, range(have, count)))
    import sqlalchemy as sa

    engine = sa.create_engine(env["CKAN_SQLALCHEMY_URL"])
    with engine.begin() as conn:
        conn.execute(sa.text(
            "UPDATE partnership_resource_check SET status = 'success', report = :r, "
            "rows = 1200, finished = now() at time zone 'utc' "
            "WHERE status = 'pending' AND package_id IN (SELECT p.id FROM package p "
            "JOIN \"group\" g ON g.id = p.owner_org WHERE g.name IN (:a, :b))"),
            {"r": json.dumps(REPORT), "a": ORG, "b": WRITES})
    engine.dispose()


def measure(servers: list[Server], token: str, rounds: int,
            names: list[str]) -> dict[str, dict[str, list[float]]]:
    times: dict[str, dict[str, list[float]]] = {s.name: {} for s in servers}
    per_server: dict[str, dict[str, Any]] = {}
    for s in servers:  # each its own dataset to update
        created = s.call("package_create", token,
                         dataset(WRITES, f"bench-upd-{s.name}-{int(time.time())}"))
        per_server[s.name] = {"update": created, "n": 0}
    requests_ = {
        "package_show": lambda s: s.call("package_show", token,
                                         params={"id": names[len(names) // 2]}),
        "package_search rows=10": lambda s: s.call("package_search", token, params={
            "fq": f"organization:{ORG}", "rows": 10, "sort": "name asc"}),
        "package_search rows=100": lambda s: s.call("package_search", token, params={
            "fq": f"organization:{ORG}", "rows": 100, "sort": "name asc"}),
        "package_search rows=1000": lambda s: s.call("package_search", token, params={
            "fq": f"organization:{ORG}", "rows": 1000, "sort": "name asc"}),
        "package_create (public)": lambda s: s.call("package_create", token, dataset(
            WRITES, f"bench-new-{s.name}-{time.time_ns()}")),
        "package_update (public)": lambda s: update(s, token, per_server[s.name]),
    }
    for label, run in requests_.items():  # warm up: caches, schema loading
        for s in servers:
            run(s)
    for s in servers:
        s.reader.read()  # what was logged so far
    for i in range(rounds):
        order = servers if i % 2 == 0 else servers[::-1]
        for label, run in requests_.items():
            for s in order:
                start = time.perf_counter()
                run(s)
                client = time.perf_counter() - start
                times[s.name].setdefault(label, []).append(s.server_time())
                times[s.name].setdefault(label + " (client)", []).append(client)
    return times


def update(server: Server, token: str, state: dict[str, Any]) -> Any:
    state["n"] += 1
    pkg = state["update"]
    data = dataset(WRITES, pkg["name"], notes=f"Données de test, version {state['n']}.")
    data["id"] = pkg["id"]
    data["resources"] = [dict(r, id=old["id"]) for r, old in
                         zip(data["resources"], pkg["resources"])]
    return server.call("package_update", token, data)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--database", help="another database of the test stack's "
                        "PostgreSQL (created beforehand, owned by ckan), with its own Solr "
                        "site id: make test, which empties the test database, keeps it")
    args = parser.parse_args()
    env = dict(os.environ, **stack_env(args.database))
    folder = Path(tempfile.mkdtemp(prefix="bench-hooks-"))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), env.get("PYTHONPATH")]))
    ours_ini, vanilla_ini = write_configs(
        folder, f"partnership-bench-{args.database}" if args.database else None)
    ckan_cli(env, ours_ini, "db", "upgrade")
    ckan_cli(env, ours_ini, "db", "upgrade", "-p", "activity")
    ckan_cli(env, ours_ini, "db", "upgrade", "-p", "partnership")
    if ADMIN not in ckan_cli(env, ours_ini, "user", "list"):
        ckan_cli(env, ours_ini, "user", "add", ADMIN, f"email={ADMIN}@exemple.fr",
                 "password=bench-hooks-password")
        ckan_cli(env, ours_ini, "sysadmin", "add", ADMIN)
    token = ckan_cli(env, ours_ini, "user", "token", "add", ADMIN, "bench").strip().split()[-1]
    os.environ.update(env)  # what the servers run with
    servers: list[Server] = []
    try:
        with contextlib.ExitStack() as stack:
            for name, ini in (("partnership", ours_ini), ("vanilla", vanilla_ini)):
                (folder / name).mkdir()
                servers.append(Server(name, stack.enter_context(serve(ini, folder / name))))
            seed(servers[0], token, env, args.datasets)
            names = [p["name"] for p in servers[0].call("package_search", token, params={
                "fq": f"organization:{ORG}", "rows": 1000, "sort": "name asc"})["results"]]
            times = measure(servers, token, args.rounds, names)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{args.datasets} datasets (3 files each, checks stored), {args.rounds} rounds;"
          " server time (CKAN's logged render time), and the time the client saw over"
          " HTTP on 127.0.0.1 (client)\n")
    print("| request | partnership p50 | p95 | vanilla p50 | p95 | ratio p50 |")
    print("|---|---|---|---|---|---|")
    for label in times["partnership"]:
        ours, plain = times["partnership"][label], times["vanilla"][label]
        ratio = statistics.median(ours) / statistics.median(plain)
        print(f"| {label} | {statistics.median(ours) * 1000:.0f} ms | {p95(ours) * 1000:.0f} ms"
              f" | {statistics.median(plain) * 1000:.0f} ms | {p95(plain) * 1000:.0f} ms"
              f" | {ratio:.2f}x |")
    print("\ntarget: ratio <= 1.05 (issue 14)")


if __name__ == "__main__":
    main()
