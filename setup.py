# -*- coding: utf-8 -*-
import pathlib

from setuptools import setup, find_packages
from setuptools.command.build_py import build_py


class BuildWithCatalogues(build_py):
    """Compile the translations into the build: the .mo files are not in
    git (``make test`` and ``make demo`` compile them in place), so an
    installed package would otherwise speak only English. Babel comes
    with CKAN; without it the catalogues are left as they are."""

    def run(self):
        super().run()
        try:
            from babel.messages.mofile import write_mo
            from babel.messages.pofile import read_po
        except ImportError:
            return
        i18n = pathlib.Path(self.build_lib, "ckanext", "partnership", "i18n")
        for po in i18n.glob("*/LC_MESSAGES/*.po"):
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as target:
                write_mo(target, catalog)


setup(
    name="ckanext-partnership",
    version="0.1.0",
    description=(
        "CKAN extension for the open-data portal of a French Département or "
        "Région and the local authorities publishing on it under a "
        "partnership agreement (convention de partenariat)."
    ),
    long_description=open("README.rst", encoding="utf-8").read(),
    long_description_content_type="text/x-rst",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    packages=find_packages(exclude=["tests", "tests.*"]),
    namespace_packages=["ckanext"],
    include_package_data=True,
    # The alembic migrations (``ckan db upgrade -p partnership``) live in a
    # directory that is not a Python package.
    package_data={"ckanext.partnership": [
        "migration/partnership/README",
        "migration/partnership/alembic.ini",
        "migration/partnership/*.py",
        "migration/partnership/script.py.mako",
        "migration/partnership/versions/*.py",
    ]},
    cmdclass={"build_py": BuildWithCatalogues},
    zip_safe=False,
    # What the code imports at run time. CKAN's "requirements" extra brings
    # what CKAN itself needs and the extension imports too (alembic, bleach,
    # certifi, click, python-dateutil, flask, flask-babel, flask-login,
    # markupsafe, redis, requests, rq, sqlalchemy, werkzeug); the rest is
    # named here, in ranges that hold requirements.txt's pins
    # (tests/test_packaging.py checks both).
    install_requires=[
        # 2.11.6 and 2.12.0 (README, "Supported CKAN versions")
        "ckan[requirements]>=2.11.6,<2.13",
        "ckanext-scheming==3.1.0",
        "ckanext-dcat==2.4.4",
        # the resource checks: Table Schema models and field readers
        "frictionless>=5.21,<6",
        # login throttling, counted in CKAN's Redis (the redis client is
        # CKAN's: limits' "redis" extra refuses CKAN 2.12's redis 8)
        "Flask-Limiter>=4.1.1,<5",
        "limits>=5.8,<6",
        # linking the addresses of a comment (CKAN 2.11 brings it, 2.12 no more)
        "bleach>=6.4,<7",
        # the annual review: its charts as SVG, its PDF
        "matplotlib>=3.11,<4",
        "weasyprint>=70,<71",
        # the DCAT RDF profile (ckanext-dcat requires it too)
        "rdflib>=6.1.1,<8",
    ],
    entry_points={
        "ckan.plugins": [
            "partnership = ckanext.partnership.plugin:PartnershipPlugin",
        ],
        "ckan.rdf.profiles": [
            "partnership = ckanext.partnership.metadata.profile:PartnershipProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext": [
            ("**.py", "python", None),
            ("**.js", "javascript", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)
