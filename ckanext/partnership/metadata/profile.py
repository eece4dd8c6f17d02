# -*- coding: utf-8 -*-
"""The DCAT profile of the partnership metadata, run after ckanext-dcat's
``euro_dcat_ap_2`` and ``euro_dcat_ap_scheming`` profiles.

It adds what DCAT-AP has no place for in those profiles (the creation date
of the data, the granularity, the official code of a place) and makes the
output and the parser agree with the schema: the extras mirrored for CKAN
API harvesters (``frequency``, ``temporal_start``, ``spatial``…) are not
turned into a second temporal or spatial coverage, and what the parser reads
back has the shapes ``package_show`` gives.
"""
from __future__ import annotations

import json
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from ckanext.dcat.profiles.base import DCAT, LOCN, SCHEMA, RDFProfile

from ckanext.partnership.domain.vocabularies import FREQUENCIES, THEMES

SPDX = "http://spdx.org/rdf/terms#"
_CHECKSUM_ALGORITHMS = {32: "md5", 40: "sha1", 64: "sha256"}

# Terms of this profile that DCAT-AP lacks.
PARTNERSHIP = "https://ckanext-partnership.readthedocs.io/ns#"
GRANULARITY = URIRef(PARTNERSHIP + "granularity")



class PartnershipProfile(RDFProfile):
    # ---------------------------------------------------------------- output
    def graph_from_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        g = self.g
        self._drop_mirrored_extras(dataset_ref)
        self._label_concepts(dataset_ref)
        self._fix_checksums(dataset_ref)
        license_url = dataset_dict.get("license_url")
        if license_url and license_url.startswith("http"):
            # DCAT-AP puts the licence on distributions; harvesters such as
            # data.gouv.fr's read it on the dataset first
            g.add((dataset_ref, DCTERMS.license, URIRef(license_url)))
            if dataset_dict.get("license_title"):
                g.add((URIRef(license_url), DCTERMS.title, Literal(dataset_dict["license_title"])))
        author = dataset_dict.get("author")
        if author and (dataset_ref, DCTERMS.creator, None) not in g:
            creator = BNode()
            g.add((dataset_ref, DCTERMS.creator, creator))
            g.add((creator, RDF.type, FOAF.Agent))
            g.add((creator, FOAF.name, Literal(author)))
        created = dataset_dict.get("created")
        if created:
            g.add((dataset_ref, DCTERMS.created, Literal(created, datatype=XSD.date)))
        granularity = dataset_dict.get("granularity")
        if granularity:
            g.add((dataset_ref, GRANULARITY, Literal(granularity)))
        # the official code of each place the scheming profile wrote
        codes = {
            (place.get("uri") or place.get("text")): place.get("code")
            for place in dataset_dict.get("spatial_coverage") or []
            if isinstance(place, dict) and place.get("code")
        }
        for node in g.objects(dataset_ref, DCTERMS.spatial):
            key = str(node) if isinstance(node, URIRef) else str(g.value(node, SKOS.prefLabel))
            if codes.get(key):
                g.add((node, DCTERMS.identifier, Literal(codes[key])))

    def _label_concepts(self, dataset_ref: Any) -> None:
        """Themes and frequencies carry their labels (fr, en): harvesters
        that show labels, or turn themes into keywords, need them in the
        document."""
        g = self.g
        for predicate, terms in ((DCAT.theme, THEMES), (DCTERMS.accrualPeriodicity, FREQUENCIES)):
            by_uri = {t.value: t for t in terms}
            for concept in g.objects(dataset_ref, predicate):
                term = by_uri.get(str(concept))
                if term:
                    g.add((concept, SKOS.prefLabel, Literal(term.fr, lang="fr")))
                    g.add((concept, SKOS.prefLabel, Literal(term.en, lang="en")))

    def _fix_checksums(self, dataset_ref: Any) -> None:
        """A checksum is a plain string with its algorithm: ckanext-dcat
        writes an xsd:hexBinary value, without the algorithm unless the
        resource names one, which data.gouv.fr's harvester rejects (the
        whole dataset with it)."""
        g = self.g
        value_p = URIRef(SPDX + "checksumValue")
        algorithm_p = URIRef(SPDX + "algorithm")
        for distribution in g.objects(dataset_ref, DCAT.distribution):
            for checksum in list(g.objects(distribution, URIRef(SPDX + "checksum"))):
                value = g.value(checksum, value_p)
                name = _CHECKSUM_ALGORITHMS.get(len(str(value or "")))
                if (checksum, algorithm_p, None) not in g and name:
                    g.add((checksum, algorithm_p, URIRef(SPDX + "checksumAlgorithm_" + name)))
                if (checksum, algorithm_p, None) not in g:
                    g.remove((distribution, URIRef(SPDX + "checksum"), checksum))
                    g.remove((checksum, None, None))
                    continue
                g.set((checksum, value_p, Literal(str(value))))

    def _drop_mirrored_extras(self, dataset_ref: Any) -> None:
        """euro_dcat_ap_2 also reads the mirrored ``temporal_start``/
        ``temporal_end`` and ``spatial`` extras: drop the second copy of the
        period and the nameless geometry it made from them, since the
        schema's own coverage is written too."""
        g = self.g
        seen = set()
        for node in sorted(g.objects(dataset_ref, DCTERMS.temporal)):
            period = tuple(
                str(g.value(node, p) or "")
                for p in (DCAT.startDate, DCAT.endDate, SCHEMA.startDate, SCHEMA.endDate)
            )
            if period in seen:
                g.remove((dataset_ref, DCTERMS.temporal, node))
                g.remove((node, None, None))
            seen.add(period)
        for node in list(g.objects(dataset_ref, DCTERMS.spatial)):
            # every place of the schema has a name; this one is the mirror
            if isinstance(node, BNode) and (node, SKOS.prefLabel, None) not in g:
                g.remove((dataset_ref, DCTERMS.spatial, node))
                g.remove((node, None, None))

    # ----------------------------------------------------------------- input
    def parse_dataset(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> dict[str, Any]:
        g = self.g
        creator = g.value(dataset_ref, DCTERMS.creator)
        if creator is not None and g.value(creator, FOAF.name) is not None:
            dataset_dict["author"] = str(g.value(creator, FOAF.name))
            dataset_dict.pop("creator", None)
        contacts = dataset_dict.pop("contact", None) or []
        if contacts and isinstance(contacts, list):
            dataset_dict["maintainer"] = contacts[0].get("name") or None
            dataset_dict["maintainer_email"] = contacts[0].get("email") or None
        created = g.value(dataset_ref, DCTERMS.created)
        if created is not None:
            dataset_dict["created"] = str(created)[:10]
        granularity = g.value(dataset_ref, GRANULARITY)
        if granularity is not None:
            dataset_dict["granularity"] = str(granularity)
        if not dataset_dict.get("license_id"):
            dataset_dict["license_id"] = self._dataset_license(dataset_ref)
        themes = dataset_dict.get("theme")
        if isinstance(themes, str):
            try:
                themes = json.loads(themes)
            except ValueError:
                themes = [themes]
        if themes:
            order = [t.value for t in THEMES]
            dataset_dict["theme"] = sorted(themes, key=lambda v: (v not in order, order.index(v) if v in order else 0, v))
        standard = dataset_dict.get("conforms_to")
        if isinstance(standard, str) and standard.startswith("["):
            # the schema has one data standard; DCAT allows several
            standards = json.loads(standard)
            dataset_dict["conforms_to"] = standards[0] if standards else ""
        self._parse_places(dataset_dict, dataset_ref)
        # what euro_dcat_ap_2 read into extras is in the schema's fields now
        dataset_dict["extras"] = [
            e for e in dataset_dict.get("extras", [])
            if e["key"] not in ("temporal_start", "temporal_end", "spatial", "spatial_text",
                                "spatial_uri", "spatial_bbox", "spatial_centroid")
        ]
        return dataset_dict

    def _dataset_license(self, dataset_ref: Any) -> str:
        """The site's licence id for the dataset's own dct:license (the
        distributions' licences are ckanext-dcat's to read)."""
        from ckan.model.license import LicenseRegister

        uri = self.g.value(dataset_ref, DCTERMS.license)
        for license in LicenseRegister().licenses if uri is not None else []:
            if license.url and license.url == str(uri):
                return license.id
        return ""

    def _parse_places(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        """Every place of dct:spatial, as the schema's list: ckanext-dcat's
        parser keeps only one, merging the others into it."""
        g = self.g
        places = []
        for node in g.objects(dataset_ref, DCTERMS.spatial):
            place: dict[str, str] = {}
            label = g.value(node, SKOS.prefLabel)
            code = g.value(node, DCTERMS.identifier)
            geom = self._parse_geodata(node, LOCN.geometry, None)
            if label is not None:
                place["text"] = str(label)
            if code is not None:
                place["code"] = str(code)
            if isinstance(node, URIRef):
                place["uri"] = str(node)
            if geom:
                place["geom"] = json.dumps(json.loads(geom), separators=(",", ":"))
            if place:
                places.append(place)
        if places:
            dataset_dict["spatial_coverage"] = sorted(places, key=lambda p: p.get("text", ""))
