# -*- coding: utf-8 -*-
"""The DCAT profile of the partnership metadata, run after ckanext-dcat's
``euro_dcat_ap_2`` and ``euro_dcat_ap_scheming`` profiles.

It adds what DCAT-AP has no place for in those profiles (the creation date
of the data, the granularity, the official code of a place) and makes the
output and the parser agree with the schema: the extras mirrored for CKAN
API harvesters (``frequency``, ``temporal_start``, ``spatial``…) are not
turned into a second temporal or spatial coverage, and what the parser reads
back has the shapes ``package_show`` gives.

The output conforms to the DCAT-AP 3.0.0 shapes (tests/metadata/
test_dcat_conformance.py): formats, media types and languages are IRIs of
their vocabularies (domain/dcat_terms.py), every node has the class the
shapes ask for, and a place's geometry is a ``dcat:bbox`` plus a GeoSPARQL
geometry node (DCAT-AP 3 makes ``locn:geometry`` a node, which the parsers
of ckanext-dcat 2.4 cannot read).
"""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

import ckan.plugins.toolkit as tk
from ckanext.dcat.profiles.base import DCAT, GSP, LOCN, SCHEMA, VCARD, RDFProfile
from ckanext.dcat.utils import catalog_uri, resource_uri

from ckanext.partnership.core.roles import host_organization
from ckanext.partnership.domain import access, dcat_terms
from ckanext.partnership.metadata import dictionary
from ckanext.partnership.domain.vocabularies import (
    ACCESS_RESTRICTION_LEGAL_LABELS, ACCESS_RESTRICTIONS, FREQUENCIES, THEMES,
)

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
        for distribution in g.objects(dataset_ref, DCAT.distribution):
            self._fix_distribution(distribution)
            if access.dataset_restricted(dataset_dict):
                self._restrict_distribution(distribution, dataset_ref)
        self._restriction_reason(dataset_dict, dataset_ref)
        self._data_dictionaries(dataset_dict)
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
        # the official code and the geometry of each place the scheming
        # profile wrote
        places = {
            (place.get("uri") or place.get("text")): place
            for place in dataset_dict.get("spatial_coverage") or []
            if isinstance(place, dict)
        }
        for node in list(g.objects(dataset_ref, DCTERMS.spatial)):
            key = str(node) if isinstance(node, URIRef) else str(g.value(node, SKOS.prefLabel))
            place = places.get(key) or {}
            if place.get("code"):
                g.add((node, DCTERMS.identifier, Literal(place["code"])))
            self._fix_geometry(node, place.get("geom"))
        self._type_nodes()

    def graph_from_catalog(self, catalog_dict: dict[str, Any], catalog_ref: Any) -> None:
        """What DCAT-AP 3 requires of the catalogue that ckanext-dcat leaves
        out: a description and a publisher (the host), a language IRI, a
        homepage typed as a document."""
        g = self.g
        host = host_organization()
        if (catalog_ref, DCTERMS.description, None) not in g:
            g.add((catalog_ref, DCTERMS.description, Literal(
                tk.config.get("ckan.site_description")
                or (host.description if host is not None else "")
                or tk.config.get("ckan.site_title") or str(catalog_ref))))
        if (catalog_ref, DCTERMS.publisher, None) not in g:
            if host is not None:
                publisher: Any = URIRef(
                    "{}/organization/{}".format(catalog_uri().rstrip("/"), host.id))
                name = host.title or host.name
            else:
                publisher, name = BNode(), tk.config.get("ckan.site_title") or str(catalog_ref)
            g.add((catalog_ref, DCTERMS.publisher, publisher))
            g.add((publisher, RDF.type, FOAF.Agent))
            g.add((publisher, FOAF.name, Literal(name)))
        self._as_iris(catalog_ref, DCTERMS.language, dcat_terms.language_iri,
                      DCTERMS.LinguisticSystem)
        for homepage in g.objects(catalog_ref, FOAF.homepage):
            g.add((homepage, RDF.type, FOAF.Document))
        self._type_nodes()

    def _fix_distribution(self, distribution: Any) -> None:
        """Format and media type as IRIs of the EU file types and of IANA,
        the size as a non-negative integer, the addresses as resources."""
        g = self.g
        known = None
        for fmt in list(g.objects(distribution, DCTERMS["format"])):
            if isinstance(fmt, Literal):
                g.remove((distribution, DCTERMS["format"], fmt))
                known = dcat_terms.file_type(str(fmt))
                if known:
                    fmt = URIRef(dcat_terms.FILE_TYPE + known.code)
                else:
                    # a format the EU list lacks keeps its name, on a node
                    label, fmt = fmt, BNode()
                    g.add((fmt, RDFS.label, Literal(str(label))))
                g.add((distribution, DCTERMS["format"], fmt))
            g.add((fmt, RDF.type, DCTERMS.MediaTypeOrExtent))
        self._as_iris(distribution, DCAT.mediaType, dcat_terms.media_type_iri,
                      DCTERMS.MediaType)
        if (distribution, DCAT.mediaType, None) not in g and known and known.media_type:
            media_type = URIRef(dcat_terms.IANA_MEDIA_TYPE + known.media_type)
            g.add((distribution, DCAT.mediaType, media_type))
            g.add((media_type, RDF.type, DCTERMS.MediaType))
        for size in list(g.objects(distribution, DCAT.byteSize)):
            g.remove((distribution, DCAT.byteSize, size))
            try:
                value = int(Decimal(str(size)))
            except (InvalidOperation, ValueError):
                continue
            if value >= 0:
                g.add((distribution, DCAT.byteSize,
                       Literal(value, datatype=XSD.nonNegativeInteger)))
        for predicate in (DCAT.accessURL, DCAT.downloadURL):
            for url in list(g.objects(distribution, predicate)):
                if isinstance(url, Literal):
                    g.remove((distribution, predicate, url))
                    if not str(url).startswith(("http://", "https://")):
                        continue
                    url = URIRef(str(url))
                    g.add((distribution, predicate, url))
                g.add((url, RDF.type, RDFS.Resource))

    def _data_dictionaries(self, dataset_dict: dict[str, Any]) -> None:
        """A file's data dictionary (000 §10.1.2) is its
        ``dct:conformsTo``: the Table Schema the portal serves for it
        (``metadata.dictionary.schema_url``), a ``dct:Standard`` titled
        after the file (in French and English), as data.gouv.fr reads a
        distribution's schema."""
        g = self.g
        for resource in dataset_dict.get("resources") or []:
            if not isinstance(resource, dict) or not resource.get("id"):
                continue
            if not dictionary.columns_of(resource):
                continue
            distribution = URIRef(resource_uri(resource))
            if (None, DCAT.distribution, distribution) not in g:
                continue
            schema = URIRef(dictionary.schema_url(dataset_dict["id"], resource["id"]))
            g.add((distribution, DCTERMS.conformsTo, schema))
            g.add((schema, RDF.type, DCTERMS.Standard))
            name = resource.get("name") or resource["id"]
            g.add((schema, DCTERMS.title, Literal(
                f"Dictionnaire des données : {name}", lang="fr")))
            g.add((schema, DCTERMS.title, Literal(f"Data dictionary: {name}", lang="en")))

    def _restrict_distribution(self, distribution: Any, dataset_ref: Any) -> None:
        """A restricted dataset's file (004 §7.1): no ``dcat:downloadURL``;
        its ``dcat:accessURL`` is its page on the portal, where access is
        asked for, never the file's own address."""
        g = self.g
        for predicate in (DCAT.accessURL, DCAT.downloadURL):
            for url in list(g.objects(distribution, predicate)):
                g.remove((distribution, predicate, url))
                if (None, None, url) not in g:  # its own triples go with it
                    g.remove((url, None, None))
        page = distribution if isinstance(distribution, URIRef) else dataset_ref
        g.add((distribution, DCAT.accessURL, page))
        g.add((page, RDF.type, RDFS.Resource))

    def _restriction_reason(self, dataset_dict: dict[str, Any], dataset_ref: Any) -> None:
        """The reason of a restriction as data.gouv.fr's DCAT harvester reads
        it (its ``access_type`` restricted and ``access_type_reason_category``)
        and udata writes it: ``dct:rights`` the INSPIRE code list's IRI, a
        ``dct:RightsStatement`` labelled with its legal wording."""
        reason = dataset_dict.get("access_restriction")
        labels = ACCESS_RESTRICTION_LEGAL_LABELS.get(reason or "")
        if not access.dataset_restricted(dataset_dict) or labels is None:
            return
        g = self.g
        node = URIRef(reason)
        g.add((dataset_ref, DCTERMS.rights, node))
        g.add((node, RDF.type, DCTERMS.RightsStatement))
        g.add((node, RDFS.label, Literal(labels[0], lang="fr")))
        g.add((node, RDFS.label, Literal(labels[1], lang="en")))

    def _as_iris(self, subject: Any, predicate: Any, to_iri: Any, cls: Any) -> None:
        """Literal values of ``predicate`` replaced by the IRIs ``to_iri``
        gives (dropped when it gives none); every value typed ``cls``."""
        g = self.g
        for value in list(g.objects(subject, predicate)):
            if isinstance(value, Literal):
                g.remove((subject, predicate, value))
                iri = to_iri(str(value))
                if iri:
                    g.add((subject, predicate, URIRef(iri)))
        for value in list(g.objects(subject, predicate)):
            g.add((value, RDF.type, cls))

    def _fix_geometry(self, place: Any, geojson: Any) -> None:
        """DCAT-AP 3 wants ``locn:geometry`` to be a ``locn:Geometry`` node;
        ckanext-dcat 2.4's parser (other portals' harvesters) fails on a
        node there. So the place carries its bounding box (``dcat:bbox``, a
        WKT literal, which data.gouv.fr reads) and its exact geometry on a
        GeoSPARQL node (``gsp:hasGeometry``, which this profile reads)."""
        g = self.g
        literals = [o for o in g.objects(place, LOCN.geometry) if isinstance(o, Literal)]
        if not literals and not geojson:
            return
        for literal in literals:
            g.remove((place, LOCN.geometry, literal))
        geometry = BNode()
        g.add((place, GSP.hasGeometry, geometry))
        g.add((geometry, RDF.type, GSP.Geometry))
        for literal in literals:
            if literal.datatype == GSP.wktLiteral:
                g.add((geometry, GSP.asWKT, literal))
        if geojson:
            text = geojson if isinstance(geojson, str) else json.dumps(geojson)
            g.add((geometry, GSP.asGeoJSON, Literal(text, datatype=GSP.geoJSONLiteral)))
            bbox = dcat_terms.bbox_wkt(text)
            if bbox and (place, DCAT.bbox, None) not in g:
                g.add((place, DCAT.bbox, Literal(bbox, datatype=GSP.wktLiteral)))

    def _type_nodes(self) -> None:
        """The classes the shapes check without inference: a licence is a
        ``dct:LicenseDocument``, a contact point a ``vcard:Kind`` (its
        subclasses ``vcard:Organization``/``Individual`` are not enough)."""
        g = self.g
        for licence in list(g.objects(None, DCTERMS.license)):
            g.add((licence, RDF.type, DCTERMS.LicenseDocument))
        for contact in list(g.objects(None, DCAT.contactPoint)):
            g.add((contact, RDF.type, VCARD.Kind))

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
        reasons = {t.value for t in ACCESS_RESTRICTIONS}
        for rights in g.objects(dataset_ref, DCTERMS.rights):
            if str(rights) in reasons:
                dataset_dict["access_restriction"] = str(rights)
        self._parse_places(dataset_dict, dataset_ref)
        self._parse_formats(dataset_dict)
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
            geom = self._parse_geometry(node)
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

    def _parse_geometry(self, place: Any) -> Any:
        """The exact geometry of a place: this profile's GeoSPARQL node,
        else a geometry literal as other portals write it."""
        g = self.g
        for geometry in g.objects(place, GSP.hasGeometry):
            for text in g.objects(geometry, GSP.asGeoJSON):
                try:
                    return json.dumps(json.loads(str(text)))
                except ValueError:
                    pass
            if g.value(geometry, GSP.asWKT) is not None:
                return self._parse_geodata(geometry, GSP.asWKT, None)
        if all(isinstance(o, Literal) for o in g.objects(place, LOCN.geometry)):
            return self._parse_geodata(place, LOCN.geometry, None)
        return None

    def _parse_formats(self, dataset_dict: dict[str, Any]) -> None:
        """Formats and media types back to the words ``package_show`` holds:
        ckanext-dcat's parser keeps an EU file-type IRI as the format."""
        g = self.g
        for resource in dataset_dict.get("resources") or []:
            distribution = URIRef(resource["uri"]) if resource.get("uri") else None
            if distribution is None:
                continue
            fmt = g.value(distribution, DCTERMS["format"])
            if isinstance(fmt, URIRef) and dcat_terms.format_of_iri(str(fmt)):
                resource["format"] = dcat_terms.format_of_iri(str(fmt))
            elif isinstance(fmt, BNode) and g.value(fmt, RDFS.label) is not None:
                resource["format"] = str(g.value(fmt, RDFS.label))
            media_type = dcat_terms.media_type_of_iri(str(resource.get("mimetype") or ""))
            if media_type:
                resource["mimetype"] = media_type
