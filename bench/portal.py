"""The portal at the size of a real region: server time and SQL per request.

    make bench-portal                          # S/2 then S (see bench/README.md)
    BENCH_ARGS="--quick" make bench-portal     # a small size, a few minutes
    .venv/bin/python bench/portal.py --help

Seeds (or restores from .bench/portal/) one database per size on the test
stack (stack/stack.sh start test, with the PARTNERSHIP_TEST_*_PORT variables),
serves it twice with Gunicorn (2 workers each): the portal (test.ini's
plugins) and a vanilla CKAN (scheming, dcat, activity, with the same dataset
and organisation fields, see ``vanilla_schema``) on the same database and
Solr core, then sends every request N times, portal and vanilla interleaved,
and reads the server time and SQL count of each from the headers that
bench/portal_wsgi.py adds. Prints one table, writes it as JSON and Markdown.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(ROOT, ".venv", "bin")
CACHE = os.path.join(ROOT, ".bench", "portal")
SEED_REVISION = "d8f0a2c4e6b1"  # the partnership schema the seed writes
SCHEMAS = os.path.join(ROOT, "ckanext", "partnership", "schemas")

sys.path.insert(0, HERE)
import seed as seeding  # noqa: E402

# The targets of issue 14
PAGE_TARGET_MS = 150.0
GROWTH_TARGET = 1.2
VANILLA_TARGET = 1.05


def log(msg: str) -> None:
    print(f"==> {msg}", file=sys.stderr, flush=True)


def run(cmd: list[str], env: Optional[dict[str, str]] = None, quiet: bool = True,
        **kw: Any) -> str:
    proc = subprocess.run(cmd, env=env, text=True, capture_output=True, **kw)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"bench: {' '.join(cmd[:6])}... exited {proc.returncode}")
    if not quiet:
        sys.stderr.write(proc.stderr)
    return proc.stdout


def sha(*paths: str) -> str:
    h = hashlib.sha256()
    for path in sorted(paths):
        h.update(path.encode())
        with open(path, "rb") as f:
            h.update(f.read())
    return h.hexdigest()[:12]


# ---------------------------------------------------------------------------
# The stack, the databases and the configurations
# ---------------------------------------------------------------------------

class Stack:
    """The test stack (stack/stack.sh), one database per size on its
    PostgreSQL, the same Solr core (one site_id per size)."""

    def __init__(self) -> None:
        self.script = os.path.join(ROOT, "stack", "stack.sh")
        status = run([self.script, "status", "test"])
        self.started = "postgresql  running" not in status
        # a portal's PostgreSQL waits for the disk at each commit: the bench
        # starts the cluster so (the tests start it with fsync off)
        run([self.script, "start", "test"], env={**os.environ, "PG_FSYNC": "on"},
            quiet=False)
        env = dict(line.split("=", 1) for line in
                   run([self.script, "env", "test"]).split() if "=" in line)
        self.db_url = env["PARTNERSHIP_DB_URL"]
        self.solr_url = env["PARTNERSHIP_SOLR_URL"]
        self.redis_url = env["PARTNERSHIP_REDIS_URL"]
        self.storage = env["PARTNERSHIP_STORAGE"]
        os.makedirs(self.storage, exist_ok=True)
        parsed = urllib.parse.urlsplit(self.db_url)
        self.pg_port = str(parsed.port)
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))
        self.pg_bin = os.path.dirname(bins[-1]) if bins else ""
        self.socket = os.path.join(ROOT, ".stack", "test", "run", "pg")
        self.fsync = run([os.path.join(self.pg_bin, "psql"), "-h", "127.0.0.1", "-p",
                          self.pg_port, "-U", "ckan", "-d", "postgres", "-tAc", "show fsync"],
                         env=self.pg_env()).strip()
        if self.fsync != "on":
            log("the test cluster runs with fsync off (started by the tests): the writes "
                "are measured faster than a portal's; `make stop` first for real figures")

    def stop(self) -> None:
        if self.started:
            run([self.script, "stop", "test"], quiet=False)

    def db(self, name: str) -> str:
        return self.db_url.rsplit("/", 1)[0] + "/" + name

    def _as_postgres(self, *cmd: str) -> list[str]:
        argv = [os.path.join(self.pg_bin, cmd[0]), "-h", self.socket, "-p", self.pg_port,
                "-U", "postgres", *cmd[1:]]
        return (["runuser", "-u", "postgres", "--"] + argv) if os.geteuid() == 0 else argv

    def recreate(self, name: str) -> None:
        run(self._as_postgres("dropdb", "--if-exists", "--force", name))
        run(self._as_postgres("createdb", "-O", "ckan", "-E", "UTF8", "-T", "template0", name))

    def pg_env(self) -> dict[str, str]:
        return {**os.environ, "PGPASSWORD": "ckan"}

    def dump(self, name: str, path: str) -> None:
        run([os.path.join(self.pg_bin, "pg_dump"), "-Fc", "-Z1", "-h", "127.0.0.1",
             "-p", self.pg_port, "-U", "ckan", "-f", path, name], env=self.pg_env())

    def restore(self, name: str, path: str) -> None:
        self.recreate(name)
        run([os.path.join(self.pg_bin, "pg_restore"), "-j", "2", "--no-owner", "-h",
             "127.0.0.1", "-p", self.pg_port, "-U", "ckan", "-d", name, path],
            env=self.pg_env())

    def solr_count(self, site_id: str) -> int:
        q = urllib.parse.urlencode({"q": f"site_id:{site_id}", "rows": 0, "wt": "json"})
        with urllib.request.urlopen(f"{self.solr_url}/select?{q}") as r:
            return json.load(r)["response"]["numFound"]


def vanilla_schema(src: str, dst: str) -> None:
    """The schema file for the vanilla portal: the same fields, stored the
    same way, with CKAN's and scheming's own validators and snippets in
    place of the partnership ones (which only the partnership plugin
    provides): inline choices for ``choices_helper: partnership_choices``,
    the ``partnership_*`` validators (input and output) and snippets
    dropped."""
    import yaml

    from ckanext.partnership.domain.vocabularies import BY_NAME

    with open(src, encoding="utf-8") as f:
        schema = yaml.safe_load(f)

    def fix(fields: list[dict[str, Any]]) -> None:
        for fdef in fields:
            if fdef.get("choices_helper") == "partnership_choices":
                terms, _several = BY_NAME[fdef.pop("partnership_vocabulary")]
                del fdef["choices_helper"]
                fdef["choices"] = [{"value": t.value, "label": t.fr} for t in terms]
                fdef.pop("validators", None)  # the preset's choice validators
                if "preset" not in fdef:
                    fdef["preset"] = "select"
            for key in ("form_snippet", "display_snippet"):
                if str(fdef.get(key) or "").startswith("partnership_"):
                    fdef[key] = "text.html"
            for key in list(fdef):
                if key.startswith("partnership_"):
                    del fdef[key]
            if "validators" in fdef:
                kept = [v for v in fdef["validators"].split() if not v.startswith("partnership_")]
                if not [v for v in kept if not v.startswith("ignore_")]:
                    kept.append("unicode_safe")
                fdef["validators"] = " ".join(kept)
            if "output_validators" in fdef:
                kept = [v for v in fdef["output_validators"].split()
                        if not v.startswith("partnership_")]
                if kept:
                    fdef["output_validators"] = " ".join(kept)
                else:
                    del fdef["output_validators"]
            if fdef.get("repeating_subfields"):
                fix(fdef["repeating_subfields"])

    for key in ("dataset_fields", "resource_fields", "fields"):
        if key in schema:
            fix(schema[key])
    with open(dst, "w", encoding="utf-8") as f:
        yaml.safe_dump(schema, f, allow_unicode=True, sort_keys=False)


SMTP = {"port": 9}


def start_mail_sink() -> Any:
    """An SMTP server that accepts and drops every message (aiosmtpd), so
    that the portal's notifications cost what sending them costs."""
    from aiosmtpd.controller import Controller

    class Sink:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            return "250 OK"

    SMTP["port"] = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=SMTP["port"])
    controller.start()
    return controller


def write_ini(stack: Stack, size: str, vanilla: bool) -> str:
    """test.ini with this size's database and site id, and either the
    partnership plugins or the vanilla ones."""
    name = "vanilla" if vanilla else "portal"
    path = os.path.join(CACHE, f"{name}-{size}.ini")
    replace = {
        "sqlalchemy.url": stack.db(f"ckan_bench_{size}"),
        "solr_url": stack.solr_url,
        "ckan.redis.url": stack.redis_url,
        "ckan.site_id": f"partnership-bench-{size}",
        "ckan.storage_path": stack.storage,
        "smtp.server": f"127.0.0.1:{SMTP['port']}",  # the bench's mail sink
    }
    if vanilla:
        for kind in ("dataset", "organization"):
            dst = os.path.join(CACHE, f"vanilla-{kind}.yaml")
            vanilla_schema(os.path.join(SCHEMAS, f"{kind}.yaml"), dst)
            replace[f"scheming.{kind}_schemas"] = "file://" + dst
        replace["ckan.plugins"] = "scheming_datasets scheming_organizations dcat activity"
        replace["ckanext.dcat.rdf.profiles"] = "euro_dcat_ap_2 euro_dcat_ap_scheming"
    out = []
    with open(os.path.join(ROOT, "test.ini"), encoding="utf-8") as f:
        for line in f:
            key = line.split("=", 1)[0].strip()
            if "=" in line and key in replace:
                line = f"{key} = {replace.pop(key)}\n"
            out.append(line)
            if line.startswith("[app:main]") and vanilla:
                # the partnership plugin sets the same licence list
                out.append("licenses_group_url = file://" + os.path.join(
                    ROOT, "ckanext", "partnership", "licenses.json") + "\n")
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(out)
    return path


# ---------------------------------------------------------------------------
# Seeding, cached
# ---------------------------------------------------------------------------

def ckan(ini: str, *args: str) -> str:
    return run([os.path.join(VENV, "ckan"), "-c", ini, *args], env=clean_env())


def clean_env() -> dict[str, str]:
    # the inis carry the connection settings: CKAN_* variables would win
    return {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}


def code_hash() -> str:
    files = [p for p in glob.glob(os.path.join(ROOT, "ckanext", "**", "*"), recursive=True)
             if os.path.isfile(p) and p.endswith((".py", ".yaml", ".json"))]
    return sha(*files)


def prepare(stack: Stack, size: str, reseed: bool, index: bool = True) -> dict[str, Any]:
    """The database of ``size`` ready (restored or seeded, then migrated to
    head) and indexed (unless ``index`` is False: for requests that do not
    search); returns the seed's summary with timings."""
    db = f"ckan_bench_{size}"
    portal_ini = write_ini(stack, size, vanilla=False)
    vanilla_ini = write_ini(stack, size, vanilla=True)
    key = f"{size}-{sha(os.path.join(HERE, 'seed.py'))}"
    dump = os.path.join(CACHE, f"{key}.dump")
    meta_path = os.path.join(CACHE, f"{key}.json")
    if os.path.exists(dump) and os.path.exists(meta_path) and not reseed:
        log(f"{size}: restoring {os.path.relpath(dump, ROOT)}")
        start = time.perf_counter()
        stack.restore(db, dump)
        with open(meta_path) as f:
            meta = json.load(f)
        meta["restore_seconds"] = round(time.perf_counter() - start, 1)
    else:
        log(f"{size}: seeding (bulk SQL) at partnership revision {SEED_REVISION}")
        stack.recreate(db)
        start = time.perf_counter()
        ckan(vanilla_ini, "db", "upgrade")  # CKAN's tables and activity's
        ckan(portal_ini, "db", "upgrade", "-p", "partnership", "--version", SEED_REVISION)
        meta = json.loads(run([os.path.join(VENV, "python"), os.path.join(HERE, "seed.py"),
                               "--db", stack.db(db), "--size", size], env=clean_env()))
        tokens = {}
        for user in ("validateur", "admin", "p000-publicateur"):
            out = ckan(vanilla_ini, "user", "token", "add", user, "bench-portal")
            tokens[user] = out.strip().splitlines()[-1].strip()
        meta["tokens"] = tokens
        meta["seed_seconds"] = round(time.perf_counter() - start, 1)
        start = time.perf_counter()
        stack.dump(db, dump)
        meta["dump_seconds"] = round(time.perf_counter() - start, 1)
        meta["dump_mb"] = round(os.path.getsize(dump) / 2**20, 1)
        with open(meta_path, "w") as f:
            json.dump(meta, f, indent=1)
        log(f"{size}: seeded in {meta['seed_seconds']} s, dumped in {meta['dump_seconds']} s")
    start = time.perf_counter()
    ckan(portal_ini, "db", "upgrade", "-p", "partnership")
    meta["upgrade_seconds"] = round(time.perf_counter() - start, 1)
    # what the portal's notify loop does every minute, once: among the rest,
    # every dataset's compliance assessed into its store (the compliance
    # pages read it); its mails go to the sink
    start = time.perf_counter()
    ckan(portal_ini, "partnership", "notify")
    meta["notify_seconds"] = round(time.perf_counter() - start, 1)
    site_id = f"partnership-bench-{size}"
    stamp_path = os.path.join(CACHE, f"{size}-index.stamp")
    stamp = f"{key} {code_hash()}"
    current = open(stamp_path).read() if os.path.exists(stamp_path) else ""
    expected = meta["counts"]["package"]
    if not index:
        log(f"{size}: not indexed (--no-index)")
        meta["index_seconds"] = None
    elif current == stamp and stack.solr_count(site_id) == expected:
        log(f"{size}: the Solr index is current ({expected} datasets)")
        meta["index_seconds"] = None
    else:
        log(f"{size}: indexing {expected} datasets (ckan search-index rebuild)")
        start = time.perf_counter()
        ckan(portal_ini, "search-index", "rebuild", "--quiet", "--clear")
        meta["index_seconds"] = round(time.perf_counter() - start, 1)
        log(f"{size}: indexed in {meta['index_seconds']} s")
        with open(stamp_path, "w") as f:
            f.write(stamp)
    meta["portal_ini"], meta["vanilla_ini"] = portal_ini, vanilla_ini
    return meta


# ---------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, proc: Optional[subprocess.Popen] = None) -> bool:
    """Until the server answers (a worker restarted after a timeout)."""
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/api/3/action/status_show", timeout=30):
                return True
        except (urllib.error.URLError, ConnectionError, OSError):
            if proc is not None and proc.poll() is not None:
                return False
            time.sleep(0.5)
    return False


class Server:
    """One Gunicorn (2 sync workers) serving bench/portal_wsgi.py."""

    def __init__(self, ini: str, name: str, workers: int, timeout: float):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(os.path.join(CACHE, f"gunicorn-{name}.log"), "w")
        self.proc = subprocess.Popen(
            [os.path.join(VENV, "gunicorn"), "--workers", str(workers), "--bind",
             f"127.0.0.1:{self.port}", "--chdir", HERE, "--timeout", str(int(timeout)),
             "portal_wsgi:application"],
            env={**clean_env(), "BENCH_INI": ini}, stdout=self.log, stderr=self.log)
        if not wait_ready(self.url, self.proc):
            raise SystemExit(f"bench: gunicorn ({name}) did not start, see {self.log.name}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


# ---------------------------------------------------------------------------
# The requests
# ---------------------------------------------------------------------------

@dataclass
class Request:
    label: str
    path: str
    user: Optional[str] = None  # a token's user, None: anonymous
    params: dict[str, Any] = field(default_factory=dict)
    body: Any = None  # a callable (portal name, index) -> JSON body: a POST
    twin: bool = False  # also sent to the vanilla portal
    ours: bool = True  # a page or action of the extension (the 150 ms target)
    redirects: bool = False  # answers with a redirect (measured, not followed)


def requests_for(ids: dict[str, str]) -> list[Request]:
    ds, org, agreement, res = ids["dataset"], ids["org"], ids["agreement"], ids["resource"]
    year = time.gmtime().tm_year
    api = "/api/3/action/"
    v = "validateur"
    reqs = [
        Request("page /partnership/queue", "/partnership/queue", v),
        Request("page /partnership/threads", "/partnership/threads", v),
        Request("page /partnership/agreements", "/partnership/agreements", v),
        Request("page /partnership/agreements/<id>", f"/partnership/agreements/{agreement}", v),
        Request("page /partnership/response-stats", "/partnership/response-stats"),
        Request("page /partnership/publication-stats", "/partnership/publication-stats"),
        Request("page /dataset/<id>/publication", f"/dataset/{ds}/publication", v),
        Request("page /organization/agreement/<id>", f"/organization/agreement/{org}",
                redirects=True),
        Request("partnership_queue_list", api + "partnership_queue_list", v),
        Request("partnership_thread_list", api + "partnership_thread_list", v),
        Request("partnership_agreement_list", api + "partnership_agreement_list", v),
        Request("partnership_agreement_show", api + "partnership_agreement_show", v,
                {"id": agreement}),
        Request("partnership_flagged_list", api + "partnership_flagged_list", v),
        Request("partnership_response_stats", api + "partnership_response_stats"),
        Request("partnership_publication_stats", api + "partnership_publication_stats"),
        Request("partnership_comment_list", api + "partnership_comment_list", None,
                {"package_id": ds}),
        Request("partnership_publication_list", api + "partnership_publication_list", v,
                {"id": ds}),
        Request("partnership_planned_dataset_list", api + "partnership_planned_dataset_list",
                v, {"agreement_id": agreement}),
        Request("partnership_resource_checks_show", api + "partnership_resource_checks_show",
                v, {"id": res}),
        # whether the promises are kept (compliance)
        Request("page /partnership/compliance", "/partnership/compliance", v),
        Request("page /partnership/compliance.csv", "/partnership/compliance.csv", v),
        Request("page /organization/compliance/<id>", f"/organization/compliance/{org}", v),
        Request("page /dataset/<id>/label", f"/dataset/{ds}/label"),
        Request("partnership_compliance_list", api + "partnership_compliance_list", v),
        Request("partnership_compliance_count", api + "partnership_compliance_count", v),
        Request("partnership_compliance_show", api + "partnership_compliance_show", v,
                {"organization": org}),
        Request("partnership_dataset_compliance", api + "partnership_dataset_compliance",
                None, {"id": ds}),
        # the steering committee's annual review, of a partner and of the portal
        Request("page /partnership/review/<org>/<year>",
                f"/partnership/review/{org}/{year}", v),
        Request("page /partnership/review/<year>", f"/partnership/review/{year}", v),
        Request("page /partnership/review/<org>/<year>.pdf",
                f"/partnership/review/{org}/{year}.pdf", v),
        Request("page /partnership/review/<year>.pdf", f"/partnership/review/{year}.pdf", v),
        Request("partnership_annual_review (partner)", api + "partnership_annual_review", v,
                {"organization": org, "year": year}),
        Request("partnership_annual_review (portal)", api + "partnership_annual_review", v,
                {"year": year}),
        # against vanilla
        Request("page /dataset/<id> (anonymous)", f"/dataset/{ids['dataset_name']}", twin=True),
        Request("package_show (anonymous)", api + "package_show", None, {"id": ds},
                twin=True, ours=False),
        Request("package_show (validator)", api + "package_show", v, {"id": ds},
                twin=True, ours=False),
    ]
    for rows in (10, 100, 1000):
        for who, user in (("anonymous", None), ("validator", v)):
            reqs.append(Request(f"package_search rows={rows} ({who})", api + "package_search",
                                user, {"rows": rows}, twin=True, ours=False))
    reqs.append(Request("package_create public (sysadmin)", api + "package_create", "admin",
                        body=lambda portal, i: new_dataset(ids, portal, i), twin=True,
                        ours=False))
    reqs.append(Request("package_update public (sysadmin)", api + "package_update", "admin",
                        body=lambda portal, i: updated_dataset(ids, portal, i), twin=True,
                        ours=False))
    return reqs


CREATED: list[str] = []
SHOWN: dict[str, dict[str, Any]] = {}


def new_dataset(ids: dict[str, str], portal: str, i: int) -> dict[str, Any]:
    name = f"bench-nouveau-{portal}-{os.getpid()}-{i}"
    CREATED.append(name)
    return {
        "name": name, "title": f"Nouveau jeu de données {i}", "owner_org": ids["org"],
        "private": False, "notes": "Un jeu de données créé par le benchmark, complet.",
        "license_id": "lov2", "url": "https://www.exemple.fr/donnees",
        "author": "Collectivité partenaire", "maintainer": "Service open data",
        "maintainer_email": "opendata@exemple.fr", "created": "2025-01-01",
        "modified": "2025-06-01",
        "theme": ["http://publications.europa.eu/resource/authority/data-theme/GOVE"],
        "frequency": "http://publications.europa.eu/resource/authority/frequency/ANNUAL",
        "granularity": "commune",
        "spatial_coverage": [{"text": "Aix-en-Provence", "code": "13001"}],
        "temporal_coverage": [{"start": "2025-01-01", "end": "2025-12-31"}],
        "tags": [{"name": "budget"}, {"name": "subventions"}],
    }


def updated_dataset(ids: dict[str, str], portal: str, i: int) -> dict[str, Any]:
    data = dict(SHOWN[portal])
    data["notes"] = f"Description mise à jour ({portal}, {i})."
    return data


@dataclass
class Sample:
    ms: list[float] = field(default_factory=list)
    sql: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warm: list[tuple[float, int]] = field(default_factory=list)
    timeouts: int = 0


class Redirected(Exception):
    def __init__(self, code: int, headers: Any, url: str):
        super().__init__(f"HTTP {code}: redirected to {url}")
        self.headers = headers


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise Redirected(code, headers, newurl)


OPENER = urllib.request.build_opener(NoRedirect)


class TimedOut(Exception):
    pass


def send(base: str, req: Request, tokens: dict[str, str], portal: str, i: int,
         timeout: float = 600, killed_after: float = 0) -> tuple[float, int, Any]:
    """Send ``req``; its server time, SQL count and (API) result. A request
    that Gunicorn's worker timeout (``killed_after``) ended raises TimedOut."""
    headers = {"Accept": "*/*"}
    if req.user:
        headers["Authorization"] = tokens[req.user]
    url = base + req.path
    data = None
    if req.body is not None:
        data = json.dumps(req.body(portal, i)).encode()
        headers["Content-Type"] = "application/json"
    elif req.params:
        url += "?" + urllib.parse.urlencode(req.params)
    r = urllib.request.Request(url, data=data, headers=headers)
    began = time.perf_counter()
    try:
        with OPENER.open(r, timeout=timeout) as resp:
            body = resp.read()
            timing = resp.headers.get("Server-Timing", "")
            sql = int(resp.headers.get("X-Bench-SQL", "-1"))
    except Redirected as e:
        if not req.redirects:
            raise RuntimeError(str(e)) from None
        body, timing = b"", e.headers.get("Server-Timing", "")
        sql = int(e.headers.get("X-Bench-SQL", "-1"))
    except urllib.error.HTTPError as e:
        if killed_after and time.perf_counter() - began >= killed_after * 0.95:
            raise TimedOut() from None  # the worker was killed (Gunicorn answers 500)
        raise RuntimeError(f"HTTP {e.code}: {e.read()[:300]!r}") from None
    except (TimeoutError, ConnectionError, urllib.error.URLError) as e:
        # Gunicorn killed the worker past --timeout, or the client gave up
        raise TimedOut(str(e)) from None
    ms = float(timing.split("dur=")[1]) if "dur=" in timing else float("nan")
    result = json.loads(body) if req.path.startswith("/api/") else None
    return ms, sql, result


def ids_of(db_url: str) -> dict[str, str]:
    """The entities the requests name, the same at every size: the first
    partner, the public dataset with the most comment threads, its first
    file, and a second public dataset to update."""
    import sqlalchemy as sa

    engine = sa.create_engine(db_url)
    with engine.connect() as c:
        org = "partenaire-000"
        agreement = c.execute(sa.text(
            "select a.id from partnership_agreement a join \"group\" g on g.id = a.organization_id"
            " where g.name = :n"), {"n": org}).scalar()
        dataset = c.execute(sa.text(
            "select t.package_id from partnership_thread t join package p on p.id = t.package_id"
            " where t.kind = 'comment' and not p.private and p.state = 'active'"
            " group by t.package_id order by count(*) desc, t.package_id limit 1")).scalar()
        dataset_name = c.execute(sa.text("select name from package where id = :p"),
                                 {"p": dataset}).scalar()
        resource = c.execute(sa.text(
            "select id from resource where package_id = :p order by position limit 1"),
            {"p": dataset}).scalar()
        other = c.execute(sa.text(
            "select p.id from package p join \"group\" g on g.id = p.owner_org"
            " where g.name = 'partenaire-001' and not p.private and p.state = 'active'"
            " order by p.name limit 1")).scalar()
    engine.dispose()
    return {"org": org, "agreement": agreement, "dataset": dataset, "resource": resource,
            "updated": other, "dataset_name": dataset_name}


def measure(size: str, meta: dict[str, Any], repeat: int, warmup: int, workers: int,
            only: Optional[str], budget: float, timeout: float) -> dict[str, Any]:
    ids = ids_of(meta_db(meta))
    tokens = meta["tokens"]
    log(f"{size}: starting Gunicorn ({workers} workers) for the portal and the vanilla CKAN")
    servers = {"portal": Server(meta["portal_ini"], f"portal-{size}", workers, timeout)}
    try:
        servers["vanilla"] = Server(meta["vanilla_ini"], f"vanilla-{size}", workers, timeout)
        for name, server in servers.items():
            _, _, shown = send(server.url, Request("", "/api/3/action/package_show", "admin",
                                                   {"id": ids["updated"]}), tokens, name, 0)
            SHOWN[name] = shown["result"]
        reqs = [r for r in requests_for(ids) if not only or only in r.label]
        samples = {(r.label, p): Sample() for r in reqs for p in ("portal", "vanilla")}
        total = warmup + repeat
        log(f"{size}: {len(reqs)} requests x {total} ({warmup} warm-up), interleaved")
        spent = {r.label: 0.0 for r in reqs}
        for i in range(total):
            log(f"{size}: round {i + 1}/{total}")
            for req in reqs:
                if spent[req.label] > budget and i > 0:
                    continue  # a slow request: the samples it has (see --budget)
                for portal in (("portal", "vanilla") if req.twin else ("portal",)):
                    sample = samples[(req.label, portal)]
                    clock = time.perf_counter()
                    try:
                        ms, sql, result = send(servers[portal].url, req, tokens, portal, i,
                                               timeout + 30, timeout)
                        if result is not None and not result.get("success"):
                            raise RuntimeError(str(result)[:300])
                    except TimedOut:
                        sample.timeouts += 1
                        spent[req.label] += budget + 1  # not again
                        wait_ready(servers[portal].url)
                        time.sleep(20)  # the new worker loads CKAN
                        continue
                    except Exception as e:  # noqa: BLE001 - reported in the table
                        sample.errors.append(str(e))
                        continue
                    finally:
                        spent[req.label] += time.perf_counter() - clock
                    if i >= warmup:
                        sample.ms.append(ms)
                        sample.sql.append(sql)
                    else:
                        sample.warm.append((ms, sql))
        # the datasets the creates made
        for name in list(CREATED):
            try:
                send(servers["portal"].url, Request("", "/api/3/action/dataset_purge", "admin",
                                                    body=lambda p, i, n=name: {"id": n}),
                     tokens, "portal", 0)
            except RuntimeError:
                pass
        CREATED.clear()
    finally:
        for server in servers.values():
            server.stop()
    out = {}
    for (label, portal), s in samples.items():
        if not s.ms and s.warm:  # slower than the budget: its first run is all there is
            s.ms, s.sql = [w[0] for w in s.warm], [w[1] for w in s.warm]
        if not s.ms and not s.errors and not s.timeouts:
            continue
        out.setdefault(label, {})[portal] = {
            "p50": statistics.median(s.ms) if s.ms else None,
            "p95": percentile(s.ms, 95) if s.ms else None,
            "sql": statistics.median(s.sql) if s.sql else None,
            "n": len(s.ms), "errors": s.errors[:3], "error_count": len(s.errors),
            "timeouts": s.timeouts, "timeout_s": timeout}
        out[label]["ours"] = next(r.ours for r in reqs if r.label == label)
        out[label]["twin"] = next(r.twin for r in reqs if r.label == label)
    return out


def meta_db(meta: dict[str, Any]) -> str:
    with open(meta["portal_ini"], encoding="utf-8") as f:
        for line in f:
            if line.startswith("sqlalchemy.url"):
                return line.split("=", 1)[1].strip()
    raise SystemExit("bench: no sqlalchemy.url")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q / 100.0
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


# ---------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------

def fmt(x: Optional[float], digits: int = 0) -> str:
    if x is None:
        return "—"
    return f"{x:.{digits}f}"


def table(results: dict[str, dict[str, Any]], sizes: list[str], repeat: int
          ) -> tuple[str, list[dict[str, Any]], str]:
    """One row per request: p50/p95 ms and SQL at each size, the growth from
    the smaller to the larger size, the ratio to vanilla at the larger."""
    big = sizes[-1]
    small = sizes[0] if len(sizes) > 1 else None
    labels: list[str] = []
    for size in sizes:
        labels += [lb for lb in results[size] if lb not in labels]
    head = ["request"]
    for size in sizes:
        head += [f"{size} p50", f"{size} p95", f"{size} SQL"]
    if small:
        head.append(f"{big}/{small}")
    head += [f"vanilla {big} p50", "vs vanilla", "target"]
    rows, records = [], []
    for label in labels:
        line = [label]
        rec: dict[str, Any] = {"request": label}
        misses = []
        for size in sizes:
            entry = results[size].get(label, {})
            p = entry.get("portal", {})
            few = f" (n={p['n']})" if p and 0 < p.get("n", repeat) < repeat else ""
            if p.get("timeouts") and not p.get("n"):
                line += [f"> {p['timeout_s'] * 1000:.0f}", "—", "—"]
                misses.append(f"timed out ({size})")
            else:
                line += [fmt(p.get("p50"), 1) + few, fmt(p.get("p95"), 1), fmt(p.get("sql"))]
            rec[size] = p
            if p.get("error_count"):
                misses.append(f"{p['error_count']} errors ({size})")
        entry = results[big].get(label, {})
        p = entry.get("portal", {})
        growth = None
        if small:
            ps = results[small].get(label, {}).get("portal", {})
            if ps.get("p50") and p.get("p50"):
                growth = p["p50"] / ps["p50"]
            line.append(fmt(growth, 2) + "x" if growth else "—")
            if growth and growth > GROWTH_TARGET:
                misses.append(f"{big}/{small} > {GROWTH_TARGET}")
        van = entry.get("vanilla", {})
        ratio = p["p50"] / van["p50"] if van.get("p50") and p.get("p50") else None
        line += [fmt(van.get("p50"), 1), fmt(ratio, 2) + "x" if ratio else "—"]
        if entry.get("ours") and p.get("p50") and p["p50"] > PAGE_TARGET_MS:
            misses.append(f"p50 > {PAGE_TARGET_MS:.0f} ms")
        if not entry.get("ours") and ratio and ratio > VANILLA_TARGET:
            misses.append(f"> {VANILLA_TARGET}x vanilla")
        line.append("MISS: " + ", ".join(misses) if misses else "ok")
        rec.update(growth=growth, vanilla=van, vs_vanilla=ratio, misses=misses)
        rows.append(line)
        records.append(rec)
    widths = [max(len(str(r[i])) for r in [head] + rows) for i in range(len(head))]
    md = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    text = "\n".join(["  ".join(str(c).ljust(w) for c, w in zip(r, widths))
                      for r in [head] + rows])
    return text + "\n", records, "\n".join(md) + "\n"


def combine(paths: list[str]) -> int:
    """The table of several runs of one size each, as if in one run."""
    blank = {k: "x" for k in ("org", "agreement", "dataset", "resource", "updated",
                              "dataset_name")}
    flags = {r.label: {"ours": r.ours, "twin": r.twin} for r in requests_for(blank)}
    results, sizes, repeats, seeds = {}, [], [], {}
    for path in paths:
        with open(path) as f:
            run_ = json.load(f)
        [size] = run_["sizes"]
        sizes.append(size)
        repeats.append(run_["repeat"])
        seeds.update(run_.get("seeds", {}))
        results[size] = {rec["request"]: {"portal": rec[size], "vanilla": rec["vanilla"],
                                          **flags.get(rec["request"], {})}
                         for rec in run_["rows"]}
    order = {"quick": 0, "half": 1, "full": 2}
    sizes.sort(key=order.get)
    text, records, md = table(results, sizes, min(repeats))
    print(text)
    stamp = "combined-" + "-".join(sizes)
    with open(os.path.join(CACHE, f"results-{stamp}.md"), "w") as f:
        f.write(md)
    with open(os.path.join(CACHE, f"results-{stamp}.json"), "w") as f:
        json.dump({"sizes": sizes, "repeat": min(repeats), "seeds": seeds, "rows": records,
                   "combined": paths}, f, indent=1, default=str)
    log(f"written: .bench/portal/results-{stamp}.json and .md")
    return 0


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["quick", "half", "full"], action="append",
                        help="a size to run (repeatable); default: half then full")
    parser.add_argument("--quick", action="store_true", help="same as --size quick")
    parser.add_argument("--repeat", type=int, help="measured repetitions per request "
                        "(default 20, 8 with --quick)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--budget", type=float, default=60.0,
                        help="seconds a request may take in all (portal and vanilla) before "
                        "its repetitions stop (default 60); a request slower than that is "
                        "measured once, its first run (n=1 in the table)")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds after which Gunicorn kills a request's worker and "
                        "the request is reported as timed out (default 120)")
    parser.add_argument("--workers", type=int, default=2, help="Gunicorn workers per portal")
    parser.add_argument("--reseed", action="store_true", help="seed again, ignore the cache")
    parser.add_argument("--only", help="only the requests whose label contains this")
    parser.add_argument("--seed-only", action="store_true", help="seed and index, measure nothing")
    parser.add_argument("--no-index", action="store_true",
                        help="skip the Solr index rebuild (with --only, for requests that "
                             "do not search, e.g. --only review)")
    parser.add_argument("--combine", nargs="+", metavar="JSON",
                        help="measure nothing: one table from the results-*.json of "
                        "earlier runs, one size each (e.g. half, then full)")
    args = parser.parse_args(argv)
    if args.combine:
        return combine(args.combine)
    sizes = args.size or (["quick"] if args.quick else ["half", "full"])
    order = {"quick": 0, "half": 1, "full": 2}
    sizes = sorted(set(sizes), key=order.get)
    repeat = args.repeat or (8 if sizes == ["quick"] else 20)
    os.makedirs(CACHE, exist_ok=True)
    if not shutil.which(os.path.join(VENV, "gunicorn")):
        raise SystemExit("bench: .venv/bin/gunicorn missing (make install)")
    begin = time.perf_counter()
    stack = Stack()
    sink = start_mail_sink()
    results, metas = {}, {}
    try:
        for size in sizes:
            metas[size] = prepare(stack, size, args.reseed, index=not args.no_index)
            if not args.seed_only:
                results[size] = measure(size, metas[size], repeat, args.warmup, args.workers,
                                        args.only, args.budget, args.timeout)
    finally:
        sink.stop()
        stack.stop()
    elapsed = time.perf_counter() - begin
    for size, meta in metas.items():
        n = seeding.SIZES[size]
        print(f"{size}: {n['partners']} partners, {n['datasets']} datasets, "
              f"{n['pending']} pending + {n['decided']} decided requests, {n['comments']} "
              f"comments in {n['threads']} threads; bulk insert {meta.get('seconds')} s, "
              f"seed in all {meta.get('seed_seconds')} s "
              f"(restore {meta.get('restore_seconds', '—')} s), upgrade "
              f"{meta['upgrade_seconds']} s, notify {meta.get('notify_seconds')} s, index "
              f"{str(meta['index_seconds']) + ' s' if meta['index_seconds'] else 'cached'}")
    if args.seed_only:
        return 0
    text, records, md = table(results, sizes, repeat)
    print(f"\nserver time (ms, p50/p95 of {repeat}) and SQL statements per request "
          f"(median); Gunicorn, {args.workers} workers\n")
    print(text)
    print(f"whole run: {elapsed / 60:.1f} min")
    stamp = "-".join(sizes)
    with open(os.path.join(CACHE, f"results-{stamp}.json"), "w") as f:
        json.dump({"sizes": sizes, "repeat": repeat, "seeds": metas, "rows": records,
                   "seconds": round(elapsed)}, f, indent=1, default=str)
    with open(os.path.join(CACHE, f"results-{stamp}.md"), "w") as f:
        f.write(md)
    log(f"written: .bench/portal/results-{stamp}.json and .md")
    missed = [r for r in records if r["misses"]]
    print(f"{len(records) - len(missed)} requests meet the targets, {len(missed)} miss them")
    return 0


if __name__ == "__main__":
    sys.exit(main())
