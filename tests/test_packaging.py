"""What ``pip install ckanext-partnership`` brings is what the code imports.

Read from the installed distribution's metadata (``setup.py``'s
``install_requires``), so that installing the package into an existing CKAN
installs every third-party module the extension imports at run time. No
database.
"""
import ast
import importlib.metadata as metadata
import pathlib
import sys

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


def test_requirement_ranges_hold_the_pins_of_requirements_txt():
    # `make test` installs requirements.txt's pins: the declared ranges must
    # accept them, or `pip install ckanext-partnership` would pick versions
    # the tests never ran on.
    pins = {}
    for line in (REPOSITORY / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            requirement = Requirement(line)
            (pin,) = requirement.specifier
            assert pin.operator == "==", line
            pins[canonicalize_name(requirement.name)] = pin.version
    refused = []
    for requirement in _requirements(DISTRIBUTION):
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is not None and not requirement.specifier.contains(pin, prereleases=True):
            refused.append(f"{requirement} refuses requirements.txt's {pin}")
        installed = metadata.version(requirement.name)
        if not requirement.specifier.contains(installed, prereleases=True):
            refused.append(f"{requirement} refuses the installed {installed}")
    assert not refused, "; ".join(refused)
