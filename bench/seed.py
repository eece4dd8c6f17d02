"""Seed a portal database at a given size, fast: bulk SQL, no actions.

Run by bench/portal.py (``python bench/seed.py --db URL --size half``) on a
database whose CKAN tables are migrated to head and whose partnership tables
are at revision d8f0a2c4e6b1 (the last one before the scale migrations):
every partnership table is *reflected* from the database, so only the
columns that exist at that revision are written, and the later migrations
(``ckan db upgrade -p partnership``) backfill what they add.

The CKAN rows copy the shape ``package_create``, ``resource_create``,
``organization_create`` and ``user_create`` give one dataset of the
partnership schema (package, package_extra with the scheming fields as JSON
or text, resource, tag/package_tag, member rows for the organisation's
datasets and users, group with is_organization). The resource checks' reports
are real reports of the check suite (``checks.suite.check_file``, pure) on a
small valid and a small broken file; the publication requests' ``checks`` are
the real ``publication_rules.evaluate`` of those. Everything is
deterministic (fixed seed) except the dates, relative to the seeding time.

Rows go in with SQLAlchemy Core ``insert`` of 5,000 rows at a time
(psycopg2's ``execute_values``).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import json
import os
import random
import sys
import tempfile
import time
import uuid
from typing import Any, Iterable

import sqlalchemy as sa

SIZES: dict[str, dict[str, int]] = {
    # partners, datasets (30 % private, 3 files each), pending and decided
    # publication requests, comments in threads
    "quick": dict(partners=20, datasets=1000, pending=100, decided=1000,
                  comments=5000, threads=1250),
    "half": dict(partners=100, datasets=10000, pending=1000, decided=10000,
                 comments=50000, threads=12500),
    "full": dict(partners=200, datasets=20000, pending=2000, decided=20000,
                 comments=100000, threads=25000),
}
PRIVATE_SHARE = 0.30
FILES_PER_DATASET = 3
FAILING_SHARE = 0.05  # of the public datasets' files: a check failure
CITIZENS = 500
HOST = "region-sud"  # test.ini's ckanext.partnership.host_organization
PASSWORD = "bench-portal-password"
SHA_ONE = "\x1f"

EU_THEME = "http://publications.europa.eu/resource/authority/data-theme/"
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_ACCESS = "http://publications.europa.eu/resource/authority/access-right/"
THEMES = ["AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "JUST", "REGI",
          "SOCI", "TECH", "TRAN"]
FREQUENCIES = ["ANNUAL", "QUARTERLY", "MONTHLY", "WEEKLY", "AS_NEEDED"]
GRANULARITIES = ["adresse", "commune", "departement"]
TAGS = ["budget", "subventions", "associations", "transport", "éducation", "déchets",
        "environnement", "culture", "sport", "santé", "urbanisme", "eau", "énergie",
        "mobilité", "tourisme", "économie", "emploi", "logement", "voirie", "élections"]
LICENSES = ["lov2", "odc-odbl"]
CHUNK = 5000


class Ids:
    """Deterministic uuid4-shaped ids."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def __call__(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


def _reports() -> tuple[dict[str, Any], dict[str, Any]]:
    """A real report of the check suite for a valid and a broken file."""
    from ckanext.partnership.checks.suite import check_file

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for broken in (False, True):
            path = os.path.join(tmp, f"f{int(broken)}.csv")
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f, delimiter=";")
                w.writerow(["code_commune", "nom", "population", "date_maj"])
                for i in range(200):
                    pop = "n/a" if broken and i % 7 == 0 else str(1000 + i * 37)
                    date = "31/02/2025" if broken and i % 11 == 0 else "2025-06-01"
                    w.writerow([f"13{i:03d}", f"Commune {i}", pop, date])
                if broken:
                    w.writerow(["13999", "Trop", "1", "2025-06-01", "en trop"])
            out.append(check_file(path, fmt="CSV", url=path))
    good, bad = out
    for report in out:
        report["standard"] = None
    if bad.get("status") == "success":  # the suite found nothing: force one failure
        bad = {**bad, "status": "failure"}
    return good, bad


def _fingerprint(url: str, last_modified: dt.datetime, size: int, fmt: str) -> str:
    # resource_checks.jobs.fingerprint (address, upload time, size, format,
    # standard: none here), so that an update does not queue every file again
    parts = [url, str(last_modified), str(size), fmt, ""]
    return hashlib.sha1(SHA_ONE.join(parts).encode("utf-8")).hexdigest()


def _evaluate(resources: list[dict[str, Any]], license_id: str) -> list[dict[str, Any]]:
    from ckanext.partnership.domain import publication_rules

    return publication_rules.evaluate([], license_id, LICENSES, resources)


def _password_hash() -> str:
    from passlib.hash import pbkdf2_sha512

    return pbkdf2_sha512.hash(PASSWORD)


class Seeder:
    def __init__(self, engine: sa.engine.Engine, size: str, now: dt.datetime):
        self.engine = engine
        self.n = SIZES[size]
        self.now = now
        self.rng = random.Random(14)
        self.id = Ids(self.rng)
        self.meta = sa.MetaData()
        self.rows: dict[str, list[dict[str, Any]]] = {}
        self.counts: dict[str, int] = {}

    # ------------------------------------------------------------------
    def table(self, name: str) -> sa.Table:
        if name not in self.meta.tables:
            sa.Table(name, self.meta, autoload_with=self.engine)
        return self.meta.tables[name]

    def add(self, table: str, **row: Any) -> dict[str, Any]:
        self.rows.setdefault(table, []).append(row)
        return row

    def flush(self, conn: sa.engine.Connection) -> None:
        for name, rows in self.rows.items():
            table = self.table(name)
            unknown = set(rows[0]) - set(table.c.keys())
            if unknown:  # a column the database does not have at this revision
                raise SystemExit(f"seed: {name} has no column {sorted(unknown)}")
            for i in range(0, len(rows), CHUNK):
                conn.execute(table.insert(), rows[i:i + CHUNK])
            self.counts[name] = self.counts.get(name, 0) + len(rows)
        self.rows = {}

    def ago(self, hours: float) -> dt.datetime:
        return (self.now - dt.timedelta(hours=hours)).replace(microsecond=0)

    # ------------------------------------------------------------------
    def user(self, name: str, fullname: str, sysadmin: bool = False) -> str:
        uid = self.id()
        self.add("user", id=uid, name=name, password=self.password, fullname=fullname,
                 email=f"{name}@bench.partenariat.invalid", apikey=None,
                 created=self.ago(24 * 400), reset_key=None, about=None, last_active=None,
                 activity_streams_email_notifications=False, sysadmin=sysadmin,
                 state="active", image_url=None, plugin_extras=None)
        return uid

    def organization(self, name: str, title: str, extras: dict[str, str]) -> str:
        gid = self.id()
        self.add("group", id=gid, name=name, title=title, type="organization",
                 description=f"{title} publie ses données sur le portail.", image_url="",
                 created=self.ago(24 * 500), is_organization=True,
                 approval_status="approved", state="active")
        for key, value in extras.items():
            self.add("group_extra", id=self.id(), group_id=gid, key=key, value=value,
                     state="active")
        return gid

    def member(self, group_id: str, table_name: str, table_id: str, capacity: str) -> None:
        self.add("member", id=self.id(), table_name=table_name, table_id=table_id,
                 capacity=capacity, group_id=group_id, state="active")

    # ------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        n, rng = self.n, self.rng
        self.password = _password_hash()
        good_report, bad_report = _reports()
        summary: dict[str, Any] = {"size": n}

        admin = self.user("admin", "Administrateur du portail", sysadmin=True)
        validator = self.user("validateur", "Claire Martin (Région Sud)")
        host = self.organization(HOST, "Région Sud", {"status": "region"})
        self.member(host, "user", validator, "editor")
        citizens = [self.user(f"citoyen{i}", f"Citoyen {i}") for i in range(CITIZENS)]
        tags = {}
        for name in TAGS:
            tags[name] = self.id()
            self.add("tag", id=tags[name], name=name, vocabulary_id=None)

        partners = []
        for p in range(n["partners"]):
            name = f"partenaire-{p:03d}"
            title = f"Collectivité partenaire {p:03d}"
            org = self.organization(name, title, {
                "status": "commune", "siren": f"2{p:08d}",
                "website": f"https://www.partenaire-{p:03d}.exemple.fr",
                "opendata_email": f"opendata@partenaire-{p:03d}.exemple.fr"})
            publisher = self.user(f"p{p:03d}-publicateur", f"Publicateur – {title}")
            producer = self.user(f"p{p:03d}-producteur", f"Producteur – {title}")
            self.member(org, "user", publisher, "editor")
            self.member(org, "user", producer, "editor")
            agreement = self.id()
            effective = (self.now - dt.timedelta(days=300 + p)).date()
            self.add("partnership_agreement", id=agreement, organization_id=org,
                     reference=f"BENCH-{p:03d}", title=f"Convention de partenariat ({p:03d})",
                     signed_on=effective, effective_on=effective, term="fixed",
                     initial_term_months=12, renewal="tacit", renewal_term_months=12,
                     max_total_months=None, notice_months=1, publication_mode="validated",
                     validation_sla_hours=48, comment_sla_hours=72,
                     allowed_licenses=json.dumps(LICENSES),
                     quota_records_per_dataset=300000, quota_records_total=None,
                     quota_storage_bytes=None, end_policy="withdraw", state="active",
                     termination_reason=None, termination_notified_on=None, ends_on=None,
                     created=self.ago(24 * 300), modified=self.ago(24 * 300))
            for role, user in (("publisher", publisher), ("producer", producer),
                               ("host_referent", validator)):
                self.add("partnership_contact", id=self.id(), agreement_id=agreement, role=role,
                         user_id=user, name=None, email=None, since=effective, until=None)
            self.add("partnership_contact", id=self.id(), agreement_id=agreement,
                     role="referent", user_id=None, name=f"Référent open data – {title}",
                     email=f"referent@partenaire-{p:03d}.exemple.fr", since=effective,
                     until=None)
            self.add("partnership_committee_meeting", id=self.id(), agreement_id=agreement,
                     held_on=effective + dt.timedelta(days=180),
                     minutes="Bilan semestriel.", created=self.ago(24 * 100))
            partners.append(dict(org=org, name=name, title=title, publisher=publisher,
                                 producer=producer, agreement=agreement, datasets=[]))
        with self.engine.begin() as conn:
            self.flush(conn)

        # datasets, their files and the files' checks
        private_count = round(n["datasets"] * PRIVATE_SHARE)
        order = list(range(n["datasets"]))
        rng.shuffle(order)
        private = set(order[:private_count])
        datasets = []
        for d in range(n["datasets"]):
            partner = partners[d % n["partners"]]
            pid = self.id()
            is_private = d in private
            created = self.ago(24 * (30 + d % 600))
            modified = created + dt.timedelta(days=d % 30)
            name = f"jeu-{d:05d}-{partner['name']}"
            license_id = LICENSES[d % 2]
            self.add("package", id=pid, name=name,
                     title=f"Jeu de données {d:05d} de {partner['title']}", version=None,
                     url=f"https://www.{partner['name']}.exemple.fr/donnees/{d}",
                     author=partner["title"], author_email=None,
                     maintainer=f"Service open data – {partner['title']}",
                     maintainer_email=f"opendata@{partner['name']}.exemple.fr",
                     notes=(f"Données {d} publiées par {partner['title']} : une description "
                            "de ce que contiennent les fichiers, de leur origine et de leurs "
                            "limites."),
                     license_id=license_id, type="dataset", owner_org=partner["org"],
                     creator_user_id=partner["producer"], metadata_created=created,
                     metadata_modified=modified, private=is_private, state="active",
                     plugin_data=None)
            extras = {
                "created": created.date().isoformat(),
                "modified": modified.date().isoformat(),
                "theme": json.dumps([EU_THEME + THEMES[d % len(THEMES)]]),
                "frequency": EU_FREQUENCY + FREQUENCIES[d % len(FREQUENCIES)],
                "granularity": GRANULARITIES[d % len(GRANULARITIES)],
                "spatial_coverage": json.dumps([{"text": partner["title"],
                                                 "code": f"{13000 + d % 900}"}]),
                "temporal_coverage": json.dumps([{"start": "2025-01-01",
                                                  "end": "2025-12-31"}]),
                "access_rights": EU_ACCESS + "PUBLIC",
            }
            if not is_private:
                extras["issued"] = (modified + dt.timedelta(days=1)).date().isoformat()
            for key, value in extras.items():
                self.add("package_extra", id=self.id(), package_id=pid, key=key, value=value,
                         state="active")
            for t in {TAGS[d % len(TAGS)], TAGS[(d * 7 + 3) % len(TAGS)]}:
                self.add("package_tag", id=self.id(), package_id=pid, tag_id=tags[t],
                         state="active")
            self.member(partner["org"], "package", pid, "organization")
            resources = []
            failing = not is_private and rng.random() < FAILING_SHARE
            for k in range(FILES_PER_DATASET):
                rid = self.id()
                filename = f"fichier-{k + 1}.csv"
                size = 20000 + (d * 31 + k * 7) % 50000
                self.add("resource", id=rid, package_id=pid, url=filename, format="CSV",
                         description=f"Fichier {k + 1} du jeu {d}.", hash="", position=k,
                         name=f"Fichier {k + 1}", resource_type=None, mimetype="text/csv",
                         mimetype_inner=None, size=size, created=created,
                         last_modified=created, metadata_modified=created, cache_url=None,
                         cache_last_updated=None, url_type="upload", extras="{}",
                         state="active")
                report = bad_report if failing and k == 0 else good_report
                self.add("partnership_resource_check", resource_id=rid, package_id=pid,
                         status=report["status"],
                         fingerprint=_fingerprint(filename, created, size, "CSV"),
                         standard=None, rows=report.get("rows"), report=report,
                         queued=created, finished=created + dt.timedelta(seconds=4),
                         attempts=1)
                resources.append({"id": rid, "name": f"Fichier {k + 1}",
                                  "status": report["status"],
                                  "results": report.get("results", [])})
            dataset = dict(id=pid, partner=partner, private=is_private, resources=resources,
                           license_id=license_id)
            datasets.append(dataset)
            partner["datasets"].append(dataset)
            if len(self.rows.get("package_extra", ())) > 50000:
                with self.engine.begin() as conn:
                    self.flush(conn)
        with self.engine.begin() as conn:
            self.flush(conn)

        # the annex: three planned datasets per agreement, one delivered
        for partner in partners:
            for k in range(3):
                delivered = partner["datasets"][k]["id"] if k == 0 and partner["datasets"] else None
                self.add("partnership_planned_dataset", id=self.id(),
                         agreement_id=partner["agreement"], title=f"Jeu prévu {k + 1}",
                         standard=None, frequency=EU_FREQUENCY + "ANNUAL",
                         package_id=delivered, created=self.ago(24 * 290))

        # publication requests: pending on private datasets, decided ones
        # (each public dataset approved once, the rest refused)
        checks_of = {}

        def request(dataset, status, submitted, decided=None, reasons=None):
            key = (dataset["license_id"], tuple(r["status"] for r in dataset["resources"]))
            if key not in checks_of:
                checks_of[key] = _evaluate(dataset["resources"], dataset["license_id"])
            partner = dataset["partner"]
            self.add("partnership_publication_request", id=self.id(), package_id=dataset["id"],
                     organization_id=partner["org"], agreement_id=partner["agreement"],
                     mode="validated", status=status, submitted_by=partner["publisher"],
                     submitted_at=submitted, due_at=submitted + dt.timedelta(hours=48),
                     checks=checks_of[key], decided_by=validator if decided else None,
                     decided_at=decided, reasons=reasons, message=(
                         "Merci de compléter la description." if reasons else None))

        private_sets = [ds for ds in datasets if ds["private"]]
        public_sets = [ds for ds in datasets if not ds["private"]]
        for i, ds in enumerate(private_sets[:n["pending"]]):
            request(ds, "pending", self.ago(1 + (i * 7) % 120))  # some past the 48 hours
        decided = 0
        for i, ds in enumerate(public_sets[:n["decided"]]):
            submitted = self.ago(24 * (10 + i % 300))
            request(ds, "approved", submitted, submitted + dt.timedelta(hours=2 + i % 90))
            decided += 1
        i = 0
        while decided < n["decided"]:
            ds = datasets[i % len(datasets)]
            submitted = self.ago(24 * (320 + i % 200))
            request(ds, "refused", submitted, submitted + dt.timedelta(hours=4 + i % 70),
                    reasons=[["metadata", "licence", "quality", "standard"][i % 4]])
            decided += 1
            i += 1
        with self.engine.begin() as conn:
            self.flush(conn)

        # threads: comments on public datasets (80 %), contact messages
        # (20 %); answered, awaiting, overdue, closed
        per_thread = [n["comments"] // n["threads"]] * n["threads"]
        for k in range(n["comments"] - sum(per_thread)):
            per_thread[k] += 1
        for t in range(n["threads"]):
            ds = public_sets[(t * 13) % len(public_sets)]
            partner = ds["partner"]
            contact = t % 5 == 4
            fate = ("answered", "answered", "answered", "answered", "awaiting", "overdue",
                    "overdue", "answered", "closed", "answered")[t % 10]
            if fate == "awaiting":
                start = self.ago(1 + t % 48)
            else:
                start = self.ago(24 * (5 + t % 360))
            tid = self.id()
            citizen = citizens[t % CITIZENS]
            thread = self.add(
                "partnership_thread", id=tid, kind="contact" if contact else "comment",
                organization_id=partner["org"], package_id=None if contact and t % 2 else ds["id"],
                subject=f"Question {t}" if contact else None,
                sender_name=f"Citoyen {t % CITIZENS}" if contact else None,
                sender_email=f"citoyen{t % CITIZENS}@exemple.fr" if contact else None,
                created=start, answered_at=None, answered_by=None, closed_at=None,
                closed_by=None, close_reason=None, close_note=None)
            at = start
            for c in range(per_thread[t]):
                by_partner = fate == "answered" and c % 2 == 1
                if fate in ("awaiting", "overdue") and c > 0:
                    by_partner = False
                author = partner["publisher"] if by_partner else (
                    None if contact else citizen)
                self.add("partnership_comment", id=self.id(), thread_id=tid, author_id=author,
                         by_partner=by_partner,
                         body=f"Message {c + 1} de la discussion {t} : une question sur les "
                              "données, ou la réponse du partenaire.",
                         created=at, client_address=None if by_partner else
                         f"192.0.2.{t % 250 + 1}")
                at = at + dt.timedelta(hours=(3 + t % 60) if c % 2 == 0 else 20)
                if fate == "awaiting":
                    at = min(at, self.ago(0.5))
            if contact and fate == "answered":
                thread["answered_at"] = start + dt.timedelta(hours=3 + t % 60)
                thread["answered_by"] = partner["publisher"]
            if fate == "closed":
                thread.update(closed_at=start + dt.timedelta(hours=30), closed_by=validator,
                              close_reason="no_answer_needed", close_note=None)
        with self.engine.begin() as conn:
            self.flush(conn)

        summary.update(counts=self.counts, admin=admin)
        summary["public_dataset"] = public_sets[0]["id"]
        return summary


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the database URL")
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    args = parser.parse_args(list(argv) if argv is not None else None)
    engine = sa.create_engine(args.db)
    start = time.perf_counter()
    summary = Seeder(engine, args.size, dt.datetime.utcnow()).run()
    summary["seconds"] = round(time.perf_counter() - start, 1)
    json.dump(summary, sys.stdout, default=str)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
