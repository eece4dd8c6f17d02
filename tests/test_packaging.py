"""What ``pip install ckanext-partnership`` brings into an existing CKAN:
every third-party module the code imports at run time (read from the
installed distribution's metadata, i.e. ``setup.py``'s ``install_requires``),
the migrations and the compiled translations (read from the wheel pip
builds). No database.
"""
import ast
import importlib.metadata as metadata
import pathlib
import shutil
import subprocess
import sys
import zipfile

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

import ckanext.partnership

DISTRIBUTION = "ckanext-partnership"
PACKAGE = pathlib.Path(ckanext.partnership.__file__).parent
REPOSITORY = pathlib.Path(__file__).resolve().parent.parent
# Our own namespace, CKAN itself (named as a requirement) and the tests.
OWN = {"ckan", "ckanext", "tests"}


def _active(requirement, extras=()):
    """Whether a requirement applies here, for these extras of its parent."""
    if requirement.marker is None:
        return True
    environment = default_environment()
    for extra in tuple(extras) or ("",):
        if requirement.marker.evaluate({**environment, "extra": extra}):
            return True
    return False


def _requirements(distribution, extras=()):
    return [
        requirement
        for requirement in map(Requirement, metadata.requires(distribution) or [])
        if _active(requirement, extras)
    ]


def _declared():
    """Our requirements, and CKAN's for the extras we ask of it."""
    ours = _requirements(DISTRIBUTION)
    names = {canonicalize_name(r.name) for r in ours}
    for requirement in ours:
        if canonicalize_name(requirement.name) == "ckan":
            names |= {
                canonicalize_name(r.name)
                for r in _requirements("ckan", requirement.extras)
            }
    return names


def _imported_modules():
    """Top-level third-party modules imported anywhere in the package.

    Every ``import`` statement counts, those inside functions included.
    """
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in OWN:
                    continue
                modules.setdefault(top, path.relative_to(PACKAGE).as_posix())
    return modules


def test_every_imported_module_is_a_declared_requirement():
    declared = _declared()
    providers = metadata.packages_distributions()
    missing = []
    for module, where in sorted(_imported_modules().items()):
        distributions = {canonicalize_name(d) for d in providers.get(module, [])}
        if not distributions & declared:
            missing.append(
                f"{module} (imported by {where}, installed from "
                f"{sorted(distributions) or 'nothing'})"
            )
    assert not missing, (
        "imported but neither in install_requires nor in CKAN's requirements: "
        + "; ".join(missing)
    )


def test_the_walk_sees_every_import():
    # Guards the test above against passing on an empty walk: these are
    # imported at module level (frictionless, flask_limiter, limits, rdflib)
    # and only inside functions (rq, and redis by the CLI).
    modules = _imported_modules()
    for module in ("frictionless", "flask_limiter", "limits", "rdflib", "rq", "redis"):
        assert module in modules


def _pins(name):
    pins = {}
    for line in (REPOSITORY / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            (pin,) = requirement.specifier
            assert pin.operator == "==", line
            pins[canonicalize_name(requirement.name)] = pin.version
    return pins


def test_requirement_ranges_hold_the_pins_of_requirements_txt():
    # `make test` installs requirements.txt's pins (CKAN 2.11.6), or with
    # CKAN_VERSION=2.12.0 those of requirements-ckan2.12.txt in their place:
    # the declared ranges must accept both, or `pip install
    # ckanext-partnership` would pick versions the tests never ran on.
    refused = []
    for name in ("requirements.txt", "requirements-ckan2.12.txt"):
        pins = _pins(name)
        for requirement in _requirements(DISTRIBUTION):
            pin = pins.get(canonicalize_name(requirement.name))
            if pin is not None and not requirement.specifier.contains(pin, prereleases=True):
                refused.append(f"{requirement} refuses {name}'s {pin}")
    for requirement in _requirements(DISTRIBUTION):
        installed = metadata.version(requirement.name)
        if not requirement.specifier.contains(installed, prereleases=True):
            refused.append(f"{requirement} refuses the installed {installed}")
    assert not refused, "; ".join(refused)


def test_the_built_package_carries_its_migrations_and_translations(tmp_path):
    # What `pip install ckanext-partnership` installs is the wheel: it must
    # hold the alembic migrations (`ckan db upgrade -p partnership`) and the
    # compiled French catalogue, which git does not hold (*.mo).
    source = tmp_path / "source"
    source.mkdir()
    for name in ("setup.py", "setup.cfg", "MANIFEST.in", "README.rst",
                 "requirements.txt", "dev-requirements.txt"):
        shutil.copy(REPOSITORY / name, source / name)
    shutil.copytree(REPOSITORY / "ckanext", source / "ckanext",
                    ignore=shutil.ignore_patterns("*.mo", "__pycache__"))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path / "dist"), str(source)],
        check=True, capture_output=True, cwd=tmp_path,
    )
    (wheel,) = (tmp_path / "dist").glob("ckanext_partnership-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    migrations = PACKAGE / "migration" / "partnership"
    expected = {
        "ckanext/partnership/" + path.relative_to(PACKAGE).as_posix()
        for path in migrations.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert "ckanext/partnership/migration/partnership/alembic.ini" in expected
    assert expected - names == set()
    assert "ckanext/partnership/i18n/fr/LC_MESSAGES/ckanext-partnership.mo" in names
    # and the demo's files, whatever their format (`partnership demo load`)
    demo_files = {"ckanext/partnership/" + path.relative_to(PACKAGE).as_posix()
                  for path in (PACKAGE / "demo" / "data").iterdir()}
    assert "ckanext/partnership/demo/data/rapport-dechets-2025-vallee-herault.pdf" in demo_files
    assert demo_files - names == set()
