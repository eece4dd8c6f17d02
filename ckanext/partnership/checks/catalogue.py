"""The catalogue of data standards (Frictionless Table Schemas) the portal
knows, read from disk so that the portal works offline.

Nothing here imports CKAN: the portal, the background checks, the command
and the tests share this module.

A catalogue is a directory holding ``index.json`` and the schema files::

    {"source": "https://schema.data.gouv.fr/schemas/schemas.json",
     "standards": [
        {"name": "scdl/subventions",
         "title": "Subventions",
         "version": "2.1.1",
         "url": "https://schema.data.gouv.fr/schemas/scdl/subventions/2.1.1/schema.json",
         "urls": [every URL that designates this schema, the ``latest``
                  form and the raw GitLab/GitHub file included],
         "path": "scdl-subventions-2.1.1.json"},
        ...]}

``path`` is relative to the directory. The package ships a default
catalogue (``standards/``, the SCDL schemas); ``refresh`` writes a new one
from schema.data.gouv.fr's own catalogue, ``DEFAULT_URL``, whose format is::

    {"$schema": "https://opendataschema.frama.io/catalog/schema-catalog.json",
     "version": 1,
     "schemas": [
        {"name": "scdl/subventions", "title": "Subventions",
         "schema_type": "tableschema",
         "schema_url": "https://schema.data.gouv.fr/schemas/scdl/subventions/latest/schema.json",
         "versions": [{"version_name": "2.1.1",
                       "schema_url": "https://schema.data.gouv.fr/schemas/scdl/subventions/2.1.1/schema.json"},
                      ...],
         ...},
        ...]}

A standard is named on a resource (its ``schema``) or a dataset (its
``conforms_to``) by its catalogue name or by any URL of ``urls``;
``Catalogue.resolve`` finds it, ``effective_standard`` says which of the
two applies to a resource.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Optional
from urllib.parse import urlsplit, urlunsplit
from .fetch import FetchError, Policy, fetch_bytes

__all__ = [
    "DEFAULT_URL",
    "INDEX",
    "PACKAGED",
    "Catalogue",
    "CatalogueError",
    "RefreshError",
    "Standard",
    "effective_standard",
    "fetch_url",
    "is_web_address",
    "normalise_url",
    "open_catalogue",
    "refresh",
    "standard_urls",
]

#: schema.data.gouv.fr's machine-readable catalogue of schemas.
DEFAULT_URL = "https://schema.data.gouv.fr/schemas/schemas.json"

#: The file of a catalogue directory that lists its standards.
INDEX = "index.json"

#: The catalogue that ships with the package: the portal's default.
PACKAGED = Path(__file__).resolve().parent / "standards"

SDG_HOST = "schema.data.gouv.fr"

#: The path of a schema file on schema.data.gouv.fr.
_SDG_SCHEMA = re.compile(r"^/schemas/(?P<name>.+)/(?P<version>[^/]+)/(?P<file>[^/]+)$")

#: Largest payload ``fetch_url`` reads (the catalogue is ~150 kB).
MAX_BYTES = 20 * 1024 * 1024

# Generations of schema files that ``refresh`` writes, and its work dirs.
_GENERATION = "schemas-"
_WORK = ".refresh-"

Fetch = Callable[[str], bytes]


class CatalogueError(Exception):
    """A catalogue directory that cannot be read."""


class RefreshError(Exception):
    """A refresh that failed; the existing catalogue is untouched.

    ``code`` says what went wrong, ``params`` the details, so that callers
    can word the message in the user's language:

    - ``download``: ``url``, ``reason``, and, when ``fetch_url`` failed,
      ``problem``: its code (``address_refused``, ``deadline``,
      ``too_many_redirects``, ... see ``fetch.FetchError``);
    - ``json``: ``url`` (the payload is not JSON);
    - ``catalogue``: ``url`` (not a schema catalogue);
    - ``empty``: ``url`` (the catalogue lists no Table Schema);
    - ``table-schema``: ``url`` (the payload is not a Table Schema);
    - ``write``: ``path``, ``reason``.
    """

    _TEXT = {
        "download": "Could not download {url}: {reason}",
        "json": "{url} did not answer with JSON",
        "catalogue": "{url} is not a schema catalogue (no list of schemas)",
        "empty": "The catalogue {url} lists no Table Schema",
        "table-schema": "{url} is not a Table Schema (no list of fields)",
        "write": "Could not write the catalogue in {path}: {reason}",
    }

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(self._TEXT[code].format(**params))


@dataclass(frozen=True)
class Standard:
    """One entry of a catalogue: a Table Schema in one version."""

    name: str
    title: str
    version: str
    url: str
    urls: tuple[str, ...]
    path: str

    @property
    def latest_url(self) -> str:
        """The schema.data.gouv.fr address of the schema's latest version
        (``…/latest/<file>``), or its own ``url`` when it has none."""
        for url in self.urls:
            parts = urlsplit(url)
            match = _SDG_SCHEMA.match(parts.path) if parts.netloc.lower() == SDG_HOST else None
            if match and match["version"] == "latest":
                return url
        return self.url

    def as_dict(self) -> dict[str, Any]:
        """The entry as ``index.json`` holds it."""
        return {
            "name": self.name,
            "title": self.title,
            "version": self.version,
            "url": self.url,
            "urls": list(self.urls),
            "path": self.path,
        }


# --------------------------------------------------------------------------
# URLs
# --------------------------------------------------------------------------


def is_web_address(value: Any) -> bool:
    """Whether ``value`` is an http(s) address with a host."""
    if not isinstance(value, str):
        return False
    parts = urlsplit(value.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def normalise_url(url: str) -> str:
    """The form under which two addresses of the same file compare equal:
    https, lower-case host without default port, no trailing slash, no
    fragment. Only for comparing: the stored values stay as written."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower()
    for default in (":80", ":443"):
        if host.endswith(default):
            host = host[: -len(default)]
    path = parts.path.rstrip("/")
    return urlunsplit(("https", host, path, parts.query, ""))


def _file_variants(url: str) -> list[str]:
    """The other addresses of the same raw file on GitLab or GitHub."""
    parts = urlsplit(url)
    host, path = parts.netloc.lower(), parts.path
    found: list[str] = []

    def add(new_host: str, new_path: str) -> None:
        found.append(urlunsplit(("https", new_host, new_path, "", "")))

    if host in ("gitlab.com", "git.opendatafrance.net", "framagit.org"):
        places = [(host, path)]
        # the SCDL moved from git.opendatafrance.net to gitlab.com/opendatafrance
        if host == "git.opendatafrance.net":
            places.append(("gitlab.com", "/opendatafrance" + path))
        elif host == "gitlab.com" and path.startswith("/opendatafrance/"):
            places.append(("git.opendatafrance.net", path[len("/opendatafrance"):]))
        for place_host, place_path in places:
            add(place_host, place_path)
            # GitLab serves raw files under /-/raw/ and, still, /raw/
            if "/-/raw/" in place_path:
                add(place_host, place_path.replace("/-/raw/", "/raw/", 1))
            elif "/raw/" in place_path:
                add(place_host, place_path.replace("/raw/", "/-/raw/", 1))
    elif host == "raw.githubusercontent.com":
        pieces = path.lstrip("/").split("/", 2)
        if len(pieces) == 3:
            owner, repo, rest = pieces
            add("github.com", f"/{owner}/{repo}/raw/{rest}")
    elif host == "github.com":
        pieces = path.lstrip("/").split("/", 3)
        if len(pieces) == 4 and pieces[2] == "raw":
            owner, repo, _raw, rest = pieces
            add("raw.githubusercontent.com", f"/{owner}/{repo}/{rest}")
    return found


def standard_urls(url: str, latest_url: Optional[str] = None,
                  declared: Optional[str] = None, extra: tuple[str, ...] = ()) -> list[str]:
    """Every address that designates a schema: its versioned ``url``, its
    ``latest_url``, the address its descriptor declares (``path``, usually
    the raw file on GitLab or GitHub) with that file's other forms, the
    documentation pages of schema.data.gouv.fr, and ``extra``. Without
    duplicates, ``url`` first."""
    found: list[str] = [url]
    if latest_url:
        found.append(latest_url)
    for candidate in (url, latest_url):
        parts = urlsplit(candidate or "")
        match = _SDG_SCHEMA.match(parts.path) if parts.netloc.lower() == SDG_HOST else None
        if not match:
            continue
        name, version = match["name"], match["version"]
        found.append(f"https://{SDG_HOST}/schemas/{name}/latest/{match['file']}")
        found.append(f"https://{SDG_HOST}/{name}/{version}.html")
        found.append(f"https://{SDG_HOST}/{name}/latest.html")
        found.append(f"https://{SDG_HOST}/{name}/")
    if declared and is_web_address(declared):
        found.append(declared.strip())
        found += _file_variants(declared.strip())
    found += list(extra)
    unique: list[str] = []
    seen: set[str] = set()
    for item in found:
        key = normalise_url(item)
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


def effective_standard(resource_schema: Any, dataset_conforms_to: Any) -> Optional[str]:
    """The standard a resource is checked against: its own ``schema`` when
    it names one, else its dataset's ``conforms_to``, else None. The value
    is returned as written (a catalogue name or a URL), stripped."""
    for value in (resource_schema, dataset_conforms_to):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


# --------------------------------------------------------------------------
# Reading a catalogue
# --------------------------------------------------------------------------


class Catalogue:
    """The standards of one catalogue directory.

    The index and every schema file are read when the catalogue is opened,
    so that a broken catalogue shows at once and a refresh running
    meanwhile cannot leave it half read.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        index = self.directory / INDEX
        try:
            content = json.loads(index.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CatalogueError(f"Cannot read {index}: {error}") from error
        items = content.get("standards") if isinstance(content, dict) else None
        if not isinstance(items, list):
            raise CatalogueError(f"{index} has no list of standards")
        self.source: Optional[str] = content.get("source")
        self._standards: list[Standard] = []
        self._payloads: dict[str, bytes] = {}
        self._by_name: dict[str, Standard] = {}
        self._by_url: dict[str, Standard] = {}
        for item in items:
            standard = self._read_entry(item, index)
            self._standards.append(standard)
            self._by_name[standard.name] = standard
            for url in standard.urls:
                self._by_url.setdefault(normalise_url(url), standard)

    def _read_entry(self, item: Any, index: Path) -> Standard:
        try:
            standard = Standard(
                name=str(item["name"]),
                title=str(item.get("title") or item["name"]),
                version=str(item.get("version") or ""),
                url=str(item["url"]),
                urls=tuple(str(u) for u in (item.get("urls") or [item["url"]])),
                path=str(item["path"]),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise CatalogueError(f"{index}: an entry lacks {error}") from error
        if standard.url not in standard.urls:
            standard = Standard(**{**standard.as_dict(), "urls": (standard.url, *standard.urls)})
        file = (self.directory / standard.path).resolve()
        if self.directory.resolve() not in file.parents:
            raise CatalogueError(f"{index}: {standard.path} is outside the catalogue")
        try:
            payload = file.read_bytes()
            _check_table_schema(json.loads(payload))
        except (OSError, ValueError) as error:
            raise CatalogueError(f"{file} is not a readable Table Schema: {error}") from error
        self._payloads[standard.name] = payload
        return standard

    def __iter__(self) -> Iterator[Standard]:
        return iter(self._standards)

    def __len__(self) -> int:
        return len(self._standards)

    def standards(self) -> list[Standard]:
        """The entries, in the index's order."""
        return list(self._standards)

    def names(self) -> list[str]:
        return [s.name for s in self._standards]

    def resolve(self, ref: Any) -> Optional[Standard]:
        """The entry that ``ref`` designates, a catalogue name or one of its
        URLs (http or https, with or without a trailing slash), or None."""
        if not isinstance(ref, str) or not ref.strip():
            return None
        ref = ref.strip()
        if ref in self._by_name:
            return self._by_name[ref]
        if is_web_address(ref):
            return self._by_url.get(normalise_url(ref))
        return None

    def descriptor(self, ref: Any) -> Optional[dict[str, Any]]:
        """The Table Schema that ``ref`` designates, as a new dict (the
        caller may change it), or None when the catalogue does not hold it."""
        standard = self.resolve(ref)
        if standard is None:
            return None
        return json.loads(self._payloads[standard.name])


def _check_table_schema(descriptor: Any) -> None:
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("fields"), list):
        raise ValueError("no list of fields")


@functools.lru_cache(maxsize=8)
def _load(directory: str, stamp: tuple[int, int, int]) -> Catalogue:
    """One Catalogue per directory and state of its index: a refresh
    replaces the index, which changes ``stamp``."""
    return Catalogue(directory)


def open_catalogue(directory: Optional[str | os.PathLike[str]] = None) -> Catalogue:
    """The catalogue of ``directory`` (the configured standards path) when
    it holds an ``index.json``, else the packaged catalogue. Read once, then
    again only when a refresh has replaced the index."""
    target = PACKAGED
    if directory and (Path(directory) / INDEX).is_file():
        target = Path(directory)
    try:
        status = (target / INDEX).stat()
    except OSError as error:
        raise CatalogueError(f"Cannot read {target / INDEX}: {error}") from error
    return _load(str(target.resolve()), (status.st_mtime_ns, status.st_size, status.st_ino))


# --------------------------------------------------------------------------
# Refreshing a catalogue from schema.data.gouv.fr
# --------------------------------------------------------------------------


def fetch_url(url: str, timeout: float = 30, policy: Any = None) -> bytes:
    """The body of ``url`` (GET), at most ``MAX_BYTES``, from a public
    address only (see :mod:`ckanext.partnership.fetch`); a RefreshError
    (``download``) when the address is refused or the network or the
    server fails. ``policy`` (a ``fetch.Policy``) says which private hosts
    to trust, the deadline and the redirects; by default none is trusted
    and ``timeout`` applies."""

    policy = policy or Policy(timeout=timeout, max_bytes=MAX_BYTES)
    try:
        return fetch_bytes(url, policy, {"Accept": "application/json"})
    except FetchError as error:
        if error.code == "too_large":
            reason = f"larger than {policy.max_bytes} bytes"
        elif error.code in ("http_error", "unreachable"):
            reason = error.reason or error.code
        else:
            reason = error.code.replace("_", " ")
        raise RefreshError("download", url=url, reason=reason, problem=error.code) from error


def _get(fetch: Fetch, url: str) -> bytes:
    try:
        return fetch(url)
    except RefreshError:
        raise
    except Exception as error:  # whatever a fetch function raises
        raise RefreshError("download", url=url, reason=str(error) or type(error).__name__) from error


def _json(payload: bytes, url: str) -> Any:
    try:
        return json.loads(payload.decode("utf-8-sig"))
    except ValueError as error:
        raise RefreshError("json", url=url) from error


def _version_key(version: str) -> tuple[Any, ...]:
    """Semantic versions compared as numbers: 2.10.0 after 2.9.1; a
    pre-release (2.0.0-rc1) before its release."""
    core, _sep, pre = version.lstrip("vV").partition("-")
    numbers = tuple(int(p) if p.isdigit() else -1 for p in core.split("."))
    return numbers, 0 if pre else 1, pre


def _plain_version(value: Any) -> str:
    return str(value).strip().lstrip("vV") if value else ""


#: What a schema.data.gouv.fr name looks like: ``scdl/subventions``.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*")


@dataclass
class _Listed:
    name: str
    title: str
    latest_url: str
    versions: dict[str, str]  # version name -> its schema URL


def _table_schemas(listing: Any, source: str) -> tuple[list[_Listed], int]:
    """The Table Schemas of a schema.data.gouv.fr catalogue, and how many
    schemas it lists in all."""
    schemas = listing.get("schemas") if isinstance(listing, dict) else None
    if not isinstance(schemas, list):
        raise RefreshError("catalogue", url=source)
    found: list[_Listed] = []
    for item in schemas:
        if not isinstance(item, dict) or item.get("schema_type") != "tableschema":
            continue
        name, url = item.get("name"), item.get("schema_url")
        if not isinstance(name, str) or not _NAME.fullmatch(name) or not is_web_address(url):
            continue
        versions = {
            _plain_version(v.get("version_name")): v["schema_url"]
            for v in item.get("versions") or []
            if isinstance(v, dict) and v.get("version_name") and is_web_address(v.get("schema_url"))
        }
        found.append(_Listed(name, str(item.get("title") or name), str(url), versions))
    if not found:
        raise RefreshError("empty", url=source)
    return found, len(schemas)


def _filename(name: str, version: str, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", f"{name.replace('/', '-')}-{version or 'latest'}")
    candidate, n = f"{stem}.json", 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-{n}.json"
    taken.add(candidate)
    return candidate


def _describe(listed: _Listed, descriptor: dict[str, Any]) -> tuple[str, str]:
    """The version of the schema downloaded from its ``latest`` URL, and
    the versioned URL of that version."""
    declared = _plain_version(descriptor.get("version"))
    if declared in listed.versions:
        return declared, listed.versions[declared]
    if listed.versions:
        version = max(listed.versions, key=_version_key)
        return version, listed.versions[version]
    if declared and "/latest/" in listed.latest_url:
        return declared, listed.latest_url.replace("/latest/", f"/{declared}/", 1)
    return declared, listed.latest_url


def _previous(directory: Path) -> dict[str, str]:
    """name -> version of the catalogue the portal used before a refresh."""
    try:
        catalogue = Catalogue(directory if (directory / INDEX).is_file() else PACKAGED)
    except CatalogueError:
        return {}
    return {s.name: s.version for s in catalogue}


def refresh(directory: str | os.PathLike[str], source: str = DEFAULT_URL,
            fetch: Optional[Fetch] = None) -> dict[str, int]:
    """Replace the catalogue of ``directory`` with the Table Schemas that
    the schema.data.gouv.fr catalogue ``source`` lists, each in its latest
    version, downloaded with ``fetch`` (default: ``fetch_url``).

    All or nothing: every schema is downloaded and checked first, into a
    work directory; then the schema files move into place under a new name
    and ``index.json`` is replaced in one rename. A network failure or a
    payload that is not what it should be raises RefreshError and leaves
    the existing catalogue as it was.

    Returns counts: ``listed`` (schemas in the source catalogue),
    ``standards`` (Table Schemas written), ``added``, ``updated`` (another
    version) and ``removed``, compared with the catalogue used before.
    """
    fetch = fetch or fetch_url
    directory = Path(directory)
    listed, total = _table_schemas(_json(_get(fetch, source), source), source)
    downloads: list[tuple[_Listed, bytes, dict[str, Any]]] = []
    for item in listed:
        payload = _get(fetch, item.latest_url)
        descriptor = _json(payload, item.latest_url)
        try:
            _check_table_schema(descriptor)
        except ValueError as error:
            raise RefreshError("table-schema", url=item.latest_url) from error
        downloads.append((item, payload, descriptor))

    before = _previous(directory)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    generation = f"{_GENERATION}{stamp}-{secrets.token_hex(3)}"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=_WORK, dir=directory))
    except OSError as error:
        raise RefreshError("write", path=str(directory), reason=str(error)) from error
    try:
        standards: list[Standard] = []
        taken: set[str] = set()
        for item, payload, descriptor in downloads:
            version, url = _describe(item, descriptor)
            filename = _filename(item.name, version, taken)
            (work / filename).write_bytes(payload)  # byte for byte
            standards.append(Standard(
                name=item.name, title=item.title, version=version, url=url,
                urls=tuple(standard_urls(url, item.latest_url, descriptor.get("path"))),
                path=f"{generation}/{filename}",
            ))
        index = {"source": source, "standards": [s.as_dict() for s in standards]}
        work_index = work / INDEX
        work_index.write_text(json.dumps(index, ensure_ascii=False, indent=2) + "\n",
                              encoding="utf-8")
        os.replace(work, directory / generation)
        # the switch: readers see the old index or the new one, never a mix
        os.replace(directory / generation / INDEX, directory / INDEX)
    except OSError as error:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(directory / generation, ignore_errors=True)
        raise RefreshError("write", path=str(directory), reason=str(error)) from error
    _remove_old(directory, keep=generation)

    after = {s.name: s.version for s in standards}
    return {
        "listed": total,
        "standards": len(standards),
        "added": len(after.keys() - before.keys()),
        "updated": sum(1 for n in after.keys() & before.keys() if after[n] != before[n]),
        "removed": len(before.keys() - after.keys()),
    }


def _remove_old(directory: Path, keep: str) -> None:
    """Remove what former refreshes left: generations of schema files but
    ``keep`` and the one before it (kept for a reader that opened the old
    index just before the switch), and work directories abandoned over an
    hour ago. Only names that ``refresh`` itself creates are touched."""
    generations = sorted(
        c.name for c in directory.iterdir()
        if c.is_dir() and c.name.startswith(_GENERATION) and c.name != keep
    )
    for name in generations[:-1]:
        shutil.rmtree(directory / name, ignore_errors=True)
    hour_ago = dt.datetime.now().timestamp() - 3600
    for child in directory.iterdir():
        if child.is_dir() and child.name.startswith(_WORK) and child.stat().st_mtime < hour_ago:
            shutil.rmtree(child, ignore_errors=True)
