"""Generate a large CSV file following the SCDL "subventions" 2.1.1 schema.

    python bench/make_subventions.py OUT.csv [--rows 300000] [--seed N]
    python bench/make_subventions.py OUT.csv --bad [--manifest OUT.json]

The valid file (default) has the schema's 16 columns in the schema's order
and realistic values: names of French local authorities and of
beneficiaries (associations, companies, public bodies; no person names),
SIRETs whose SIREN and SIRET both pass the Luhn checksum, RNA numbers,
ISO dates, decision references, object texts, amounts, and so on. With the
default 300,000 rows it weighs about 73 MB. It passes
``frictionless validate --schema schema.json`` without any error, and also
the schema's ``custom_checks`` (SIRET checksums, idBeneficiaire or
rnaBeneficiaire present).

``--bad`` writes the same rows, then breaks about 1% of the cells, spread
over the rows and over the 14 columns that have constraints: bad dates,
bad SIRET checksums, enum violations, non-numbers, out-of-range
percentages, over-long texts, empty required cells, neither SIRET nor
RNA... Each broken cell breaks one rule of the schema (a truncated or
lettered SIRET also fails the checksum). ``--manifest`` writes what was broken (per column,
per kind, and how many of those errors a plain Table Schema validator can
see: a bad SIRET checksum and a missing idBeneficiaire/rnaBeneficiaire pair
are only seen by the ``custom_checks``).

The output is deterministic: the same options give the same bytes.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import json
import random
import re
import sys
import uuid
from collections import Counter

from ckanext.partnership.domain.metadata_rules import luhn_valid
from typing import Callable

COLUMNS = [
    "nomAttribuant", "idAttribuant", "dateConvention", "referenceDecision",
    "nomBeneficiaire", "idBeneficiaire", "rnaBeneficiaire", "objet",
    "montant", "nature", "conditionsVersement", "datesPeriodeVersement",
    "idRAE", "notificationUE", "pourcentageSubvention", "dispositifAide",
]
COL = {name: index for index, name in enumerate(COLUMNS)}

DEFAULT_ROWS = 300_000
DEFAULT_SEED = 20_231_128
#: Share of the cells the ``--bad`` variant breaks.
BAD_SHARE = 0.01


# --------------------------------------------------------------------------
# Identifiers
# --------------------------------------------------------------------------

def luhn_complete(prefix: str) -> str:
    """``prefix`` followed by the one digit that makes it pass Luhn."""
    for digit in "0123456789":
        if luhn_valid(prefix + digit):
            return prefix + digit
    raise AssertionError("unreachable")


def make_siret(rng: random.Random, first: str = "") -> str:
    """A 14-digit SIRET: its 9-digit SIREN and the whole SIRET pass Luhn."""
    body = first + "".join(rng.choice("0123456789") for _ in range(8 - len(first)))
    siren = luhn_complete(body)
    nic = "".join(rng.choice("0123456789") for _ in range(4))
    if nic == "0000":
        nic = "0001"
    return luhn_complete(siren + nic)


def break_siret_checksum(siret: str, rng: random.Random) -> str:
    """Same SIRET with its last digit changed so that Luhn fails."""
    last = int(siret[-1])
    shifted = siret[:-1] + str((last + rng.randint(1, 9)) % 10)
    assert not luhn_valid(shifted)
    return shifted


def make_rna(rng: random.Random) -> str:
    return "W" + str(rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 9))) + "".join(
        rng.choice("0123456789") for _ in range(8))


# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

TOWNS = [
    "Rennes", "Brest", "Quimper", "Lorient", "Vannes", "Saint-Malo", "Lannion",
    "Morlaix", "Dinan", "Fougères", "Vitré", "Redon", "Concarneau", "Pontivy",
    "Nantes", "Angers", "Le Mans", "Laval", "Cholet", "Saint-Nazaire",
    "La Roche-sur-Yon", "Bordeaux", "Pessac", "Mérignac", "Libourne",
    "Arcachon", "Pau", "Bayonne", "Biarritz", "Anglet", "Toulouse", "Albi",
    "Montauban", "Tarbes", "Montpellier", "Nîmes", "Perpignan", "Béziers",
    "Sète", "Narbonne", "Marseille", "Aix-en-Provence", "Toulon", "Nice",
    "Antibes", "Cannes", "Grasse", "Avignon", "Gap", "Lyon", "Villeurbanne",
    "Vénissieux", "Saint-Étienne", "Grenoble", "Annecy", "Chambéry",
    "Valence", "Clermont-Ferrand", "Vichy", "Aurillac", "Le Puy-en-Velay",
    "Dijon", "Besançon", "Mâcon", "Auxerre", "Strasbourg", "Mulhouse",
    "Colmar", "Metz", "Nancy", "Épinal", "Reims", "Troyes", "Lille",
    "Roubaix", "Tourcoing", "Dunkerque", "Arras", "Amiens", "Beauvais",
    "Rouen", "Le Havre", "Caen", "Cherbourg-en-Cotentin", "Évreux",
    "Orléans", "Tours", "Blois", "Bourges", "Chartres", "Poitiers",
    "La Rochelle", "Niort", "Limoges", "Angoulême", "Brive-la-Gaillarde",
    "Ajaccio", "Bastia", "Montreuil", "Saint-Denis", "Créteil", "Versailles",
]

# (name, first digit(s) of the SIREN): 2 for local authorities.
AUTHORITIES = [
    ("Région Bretagne", "23"), ("Région Pays de la Loire", "23"),
    ("Région Nouvelle-Aquitaine", "20"), ("Région Occitanie", "20"),
    ("Région Grand Est", "20"), ("Région Hauts-de-France", "20"),
    ("Région Auvergne-Rhône-Alpes", "20"), ("Région Normandie", "20"),
    ("Département d'Ille-et-Vilaine", "22"), ("Département du Finistère", "22"),
    ("Département de la Gironde", "22"), ("Département du Nord", "22"),
    ("Département des Bouches-du-Rhône", "22"), ("Département de l'Isère", "22"),
    ("Département de la Haute-Garonne", "22"), ("Département du Morbihan", "22"),
    ("Département de Loire-Atlantique", "22"), ("Département de l'Hérault", "22"),
    ("Ville de Rennes", "21"), ("Ville de Nantes", "21"), ("Ville de Lyon", "21"),
    ("Ville de Bordeaux", "21"), ("Ville de Toulouse", "21"),
    ("Ville de Montpellier", "21"), ("Ville de Strasbourg", "21"),
    ("Ville de Lille", "21"), ("Ville de Grenoble", "21"), ("Ville de Brest", "21"),
    ("Commune d'Antibes Juan-les-Pins", "21"), ("Ville de Quimper", "21"),
    ("Ville de Saint-Malo", "21"), ("Ville de Vannes", "21"),
    ("Rennes Métropole", "24"), ("Nantes Métropole", "24"),
    ("Bordeaux Métropole", "20"), ("Métropole de Lyon", "20"),
    ("Eurométropole de Strasbourg", "24"), ("Métropole Européenne de Lille", "20"),
    ("Toulouse Métropole", "24"), ("Brest Métropole", "24"),
    ("Communauté d'agglomération du Pays Basque", "20"),
    ("Communauté d'agglomération Lorient Agglomération", "24"),
    ("Communauté d'agglomération Golfe du Morbihan - Vannes agglomération", "20"),
    ("Communauté de communes du Pays de Landerneau-Daoulas", "24"),
    ("Communauté de communes Côte d'Émeraude", "24"),
    ("Syndicat mixte du Parc naturel régional d'Armorique", "25"),
]

ASSOCIATION_PATTERNS = [
    "Association sportive de {town}", "Union sportive de {town}",
    "Football club de {town}", "Rugby club de {town}",
    "Cercle des nageurs de {town}", "Club de tennis de table de {town}",
    "Judo club de {town}", "Handball club du pays de {town}",
    "Basket club de {town}", "Cyclo club de {town}", "Athlétic club de {town}",
    "Comité des fêtes de {town}", "Amicale laïque de {town}",
    "Maison des jeunes et de la culture de {town}",
    "Centre social et culturel de {town}", "Office de tourisme de {town}",
    "Les Amis du patrimoine de {town}", "Société d'histoire de {town}",
    "Harmonie municipale de {town}", "École de musique de {town}",
    "Chorale des Voix de {town}", "Théâtre du {place}", "Compagnie des {plural}",
    "Festival des {plural} de {town}", "Ciné-club de {town}",
    "Banque alimentaire de {town}", "Secours populaire français - comité de {town}",
    "Restos du cœur - antenne de {town}", "Jardins partagés du {place}",
    "Association des parents d'élèves de {town}", "Ludothèque de {town}",
    "Maison de quartier du {place}", "Comité de jumelage de {town}",
    "Société des régates de {town}", "Club nautique de {town}",
    "Association de sauvegarde du {place}", "Collectif solidarité {town}",
    "Mission locale du pays de {town}", "Radio associative {plural}",
]

COMPANY_PATTERNS = [
    "{trade} du {place} {form}", "{trade} de {town} {form}",
    "{trade} {plural} {form}", "{form} {trade} de l'{region}",
    "{trade} des {plural} {form}",
]
TRADES = [
    "Boulangerie", "Menuiserie", "Imprimerie", "Brasserie artisanale",
    "Atelier numérique", "Transports", "Conserverie", "Chantier naval",
    "Librairie", "Biocoop", "Fromagerie", "Scierie", "Cidrerie", "Torréfaction",
    "Bureau d'études", "Agence de communication", "Ferme", "Pépinières",
    "Garage solidaire", "Recyclerie", "Studio de création", "Laboratoire",
]
FORMS = ["SAS", "SARL", "SA", "SCOP", "SCIC", "EURL", "EARL", "GAEC"]
PLACES = [
    "Centre", "Port", "Rivage", "Vieux Moulin", "Bois Joli", "Lac", "Marais",
    "Plateau", "Val", "Quartier Nord", "Faubourg", "Château", "Canal",
    "Vallon", "Pont Neuf", "Littoral", "Bocage", "Haut-Pays",
]
PLURALS = [
    "Embruns", "Remparts", "Trois Chênes", "Deux Rives", "Quatre Vents",
    "Alizés", "Marées", "Lucioles", "Tilleuls", "Coquelicots", "Oyats",
    "Genêts", "Hirondelles", "Ajoncs", "Sables", "Étoiles",
]
REGIONS = ["Ouest", "Atlantique", "Armorique", "Occitanie", "Est", "Nord"]

PUBLIC_PATTERNS = [
    "CCAS de {town}", "Centre hospitalier de {town}",
    "Établissement public de coopération culturelle de {town}",
    "Lycée professionnel maritime de {town}", "Office public de l'habitat de {town}",
]

OBJECTS = [  # the short ones come more often, as in real files
    "Fonctionnement", "Fonctionnement", "Fonctionnement", "Fonctionnement",
    "Fonctionnement", "Fonctionnement", "Investissement", "Investissement",
    "Subvention de fonctionnement {year}", "Subvention de fonctionnement {year}",
    "Subvention de fonctionnement pour la saison sportive {season}",
    "Organisation de la {n}e édition du festival « {plural} en fête » à {town}",
    "Organisation du tournoi régional {year} et accueil des équipes invitées",
    "Aide à l'investissement : acquisition de matériel {equipment}",
    "Actions d'éducation à l'environnement auprès des écoles du territoire",
    "Programme d'animations estivales dans les quartiers prioritaires de {town}",
    "Soutien aux actions d'insertion professionnelle des jeunes de 16 à 25 ans",
    "Rénovation énergétique des locaux : isolation et remplacement du chauffage",
    "Accompagnement à la création d'entreprise et à la reprise d'activité",
    "Aide à la diffusion de spectacles vivants sur le territoire en {year}",
    "Projet de jardins partagés et de sensibilisation au compostage collectif",
    "Aide exceptionnelle à la suite des intempéries de {month} {year}",
    "Participation aux frais de déplacement pour les compétitions nationales",
    "Soutien à l'emploi associatif : poste de coordination, année {year}",
    "Aide au développement commercial à l'export ({equipment})",
    "Mise en valeur du patrimoine bâti : restauration de la toiture et des façades",
    "Ateliers de prévention santé et d'accès aux droits pour les publics fragiles",
    "Équipement numérique et formation des bénévoles aux outils collaboratifs",
    "Classes de découverte, séjours et sorties pédagogiques, année scolaire {season}",
]
EQUIPMENT = [
    "sportif", "informatique", "de sonorisation", "de cuisine professionnelle",
    "agricole", "de scène et d'éclairage", "nautique", "de production",
]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
          "août", "septembre", "octobre", "novembre", "décembre"]

NATURES = [  # weights: cash aid is by far the most common
    ("aide en numéraire", 80), ("aide en nature", 10),
    ("aide en numéraire;aide en nature", 7), ("aide en nature;aide en numéraire", 3),
]
CONDITIONS = [
    ("unique", 60), ("échelonné", 33), ("autre", 3),
    ("50 % à la signature de la convention, solde sur présentation du bilan", 2),
    ("versement en trois tranches selon l'avancement du projet", 2),
]
PERCENTAGES = ["1"] * 14 + ["0.5", "0.25", "0.2", "0.33", "0.75", "0.1", "0.05",
                            "0.4", "0.6", "0.15"]

START = datetime.date(2018, 1, 1).toordinal()
END = datetime.date(2024, 12, 31).toordinal()


def elide(text: str) -> str:
    """French elision and contraction after the templates are filled:
    "de Angers" -> "d'Angers", "de Le Mans" -> "du Mans"."""
    text = ELISION.sub(r"d'\1", text)
    return text.replace(" de Le ", " du ").replace(" à Le ", " au ")


ELISION = re.compile(r"\bde ([AEIOUÉÈÂ])")


def weighted(pairs):
    values = [value for value, _ in pairs]
    weights = [weight for _, weight in pairs]
    return values, weights


# --------------------------------------------------------------------------
# Valid rows
# --------------------------------------------------------------------------

def make_authorities(rng: random.Random) -> list[tuple[str, str, str]]:
    """(name, SIRET, reference style) for each authority."""
    styles = ["DEL", "CP", "CONV", "ARR", "NUM"]
    return [(name, make_siret(rng, first), rng.choice(styles))
            for name, first in AUTHORITIES]


def make_beneficiaries(rng: random.Random, count: int) -> list[tuple[str, str, str]]:
    """(name, SIRET or "", RNA or "") for ``count`` beneficiaries."""
    out = []
    for _ in range(count):
        kind = rng.random()
        town = rng.choice(TOWNS)
        fill = {"town": town, "place": rng.choice(PLACES),
                "plural": rng.choice(PLURALS), "region": rng.choice(REGIONS),
                "trade": rng.choice(TRADES), "form": rng.choice(FORMS)}
        if kind < 0.65:
            name = rng.choice(ASSOCIATION_PATTERNS).format(**fill)
            has_rna = rng.random() < 0.45
            has_siret = (not has_rna) or rng.random() < 0.7
            siret = make_siret(rng, rng.choice("34578")) if has_siret else ""
            rna = make_rna(rng) if has_rna else ""
        elif kind < 0.93:
            name = rng.choice(COMPANY_PATTERNS).format(**fill)
            siret, rna = make_siret(rng, rng.choice("3456789")), ""
        else:
            name = rng.choice(PUBLIC_PATTERNS).format(**fill)
            siret, rna = make_siret(rng, "2"), ""
        name = elide(name)
        if rng.random() < 0.25:  # many files come in capitals
            name = name.upper()
        out.append((name, siret, rna))
    return out


def reference(rng: random.Random, style: str, day: datetime.date) -> str:
    year, number = day.year, rng.randint(1, 2999)
    if style == "DEL":
        return f"DEL-{year}-{number:04d}"
    if style == "CP":
        return f"CP du {day.isoformat()} n° {year % 100:02d}_{number:04d}"
    if style == "CONV":
        return f"CONV N° {number}-{year % 100:02d} du {day.isoformat()}"
    if style == "ARR":
        return f"Arrêté {year}-ARR-{number:04d}"
    return f"{year}-{rng.randint(1, 12):02d}-{number:03d}"


def amount(rng: random.Random) -> str:
    value = 10 ** rng.uniform(2.5, 5.8)
    roll = rng.random()
    if roll < 0.55:
        return str(int(round(value, -2)))
    if roll < 0.8:
        return str(int(round(value, -1)))
    return f"{value:.2f}"


def generate_rows(rows: int, seed: int):
    """Yield ``rows`` valid rows (lists of 16 strings)."""
    rng = random.Random(seed)
    authorities = make_authorities(rng)
    beneficiaries = make_beneficiaries(rng, max(1, min(rows // 12, 25_000)))
    natures, nature_weights = weighted(NATURES)
    conditions, condition_weights = weighted(CONDITIONS)
    for _ in range(rows):
        authority, authority_siret, style = rng.choice(authorities)
        name, siret, rna = rng.choice(beneficiaries)
        signed = datetime.date.fromordinal(rng.randint(START, END))
        decided = signed - datetime.timedelta(days=rng.randint(0, 90))
        year = signed.year
        objet = elide(rng.choice(OBJECTS).format(
            year=year, season=f"{year}-{year + 1}", n=rng.randint(2, 40),
            plural=rng.choice(PLURALS), town=rng.choice(TOWNS),
            equipment=rng.choice(EQUIPMENT), month=rng.choice(MONTHS)))
        nature = rng.choices(natures, nature_weights)[0]
        condition = rng.choices(conditions, condition_weights)[0]
        first = signed + datetime.timedelta(days=rng.randint(0, 120))
        if condition == "unique" and rng.random() < 0.5:
            period = first.isoformat()
        else:
            last = first + datetime.timedelta(days=rng.randint(30, 540))
            period = f"{first.isoformat()}/{last.isoformat()}"
        id_rae = str(rng.randint(10000, 99999)) if siret and rng.random() < 0.08 else ""
        dispositif = (str(uuid.UUID(int=rng.getrandbits(128), version=4))
                      if rng.random() < 0.1 else "")
        yield [
            authority, authority_siret, signed.isoformat(),
            reference(rng, style, decided), name, siret, rna, objet,
            amount(rng), nature, condition, period, id_rae,
            "oui" if rng.random() < 0.12 else "non",
            rng.choice(PERCENTAGES), dispositif,
        ]


# --------------------------------------------------------------------------
# Broken cells (--bad)
# --------------------------------------------------------------------------

LONG_TEXT = (
    "Programme pluriannuel d'actions comprenant l'organisation de rencontres, "
    "d'ateliers et de résidences, la coordination des partenaires locaux, la "
    "communication, l'évaluation et la restitution publique des travaux, ainsi "
    "que l'acquisition du petit matériel nécessaire à la bonne exécution du "
    "projet sur l'ensemble du territoire concerné pendant toute sa durée"
)
assert len(LONG_TEXT) > 256

# kind -> (column, seen by Table Schema alone?, function(rng, row) -> value)
Breaker = Callable[[random.Random, list], str]
BREAKERS: dict[str, list[tuple[str, bool, Breaker]]] = {
    "nomAttribuant": [("empty-required", True, lambda r, row: "")],
    "idAttribuant": [
        ("siret-checksum", False,
         lambda r, row: break_siret_checksum(row[COL["idAttribuant"]], r)),
        ("siret-13-digits", True, lambda r, row: row[COL["idAttribuant"]][:13]),
        ("siret-letter", True, lambda r, row: row[COL["idAttribuant"]][:9] + "O" + row[COL["idAttribuant"]][10:]),
    ],
    "dateConvention": [
        ("date-impossible", True, lambda r, row: f"{r.randint(2018, 2024)}-02-30"),
        ("date-french-format", True,
         lambda r, row: "/".join(reversed(row[COL["dateConvention"]].split("-")))),
        ("date-month-13", True, lambda r, row: f"{r.randint(2018, 2024)}-13-{r.randint(1, 28):02d}"),
    ],
    "nomBeneficiaire": [("empty-required", True, lambda r, row: "")],
    "idBeneficiaire": [
        ("siret-checksum", False,
         lambda r, row: break_siret_checksum(row[COL["idBeneficiaire"]] or make_siret(r, "4"), r)),
        ("siret-not-digits", False, lambda r, row: "en cours"),
    ],
    "rnaBeneficiaire": [
        ("rna-pattern", True, lambda r, row: "W" + str(r.randint(10_000_000, 99_999_999))),
        ("rna-lowercase", True, lambda r, row: "w" + str(r.randint(100_000_000, 999_999_999))),
    ],
    "objet": [
        ("text-too-long", True, lambda r, row: LONG_TEXT),
        ("empty-required", True, lambda r, row: ""),
    ],
    "montant": [
        ("number-french-format", True, lambda r, row: f"{r.randint(1, 99)} {r.randint(100, 999)},00"),
        ("number-text", True, lambda r, row: r.choice(["N/A", "NC", "voir annexe"])),
        ("number-with-currency", True, lambda r, row: row[COL["montant"]] + " €"),
    ],
    "nature": [
        ("enum", True, lambda r, row: r.choice(
            ["subvention", "Aide en numéraire", "aide financière", "numéraire",
             "aide en numéraire, aide en nature"])),
    ],
    "conditionsVersement": [
        ("text-too-long", True, lambda r, row: LONG_TEXT),
        ("empty-required", True, lambda r, row: ""),
    ],
    "datesPeriodeVersement": [
        ("period-pattern", True, lambda r, row: row[COL["datesPeriodeVersement"]].replace("/", " au ")
         if "/" in row[COL["datesPeriodeVersement"]] else row[COL["datesPeriodeVersement"]] + " au 31/12"),
        ("period-french-dates", True, lambda r, row: f"{r.randint(1, 28):02d}/{r.randint(1, 12):02d}/{r.randint(2018, 2025)}"),
    ],
    "idRAE": [("text-too-long", True, lambda r, row: str(r.randint(100_000, 9_999_999)))],
    "notificationUE": [
        ("boolean", True, lambda r, row: r.choice(["Oui", "NON", "yes", "1", "0", "n/a"])),
    ],
    "pourcentageSubvention": [
        ("percentage-range", True, lambda r, row: r.choice(["1.5", "0", "100", "45", "-0.2", "0.001"])),
        ("percentage-text", True, lambda r, row: r.choice(["45%", "100 %", "0,5"])),
    ],
}
BREAKABLE = [COL[name] for name in COLUMNS if name in BREAKERS]


def choose_bad_cells(rows: int, seed: int) -> dict[int, list[int]]:
    """Row index -> column indexes to break: BAD_SHARE of all cells, drawn
    uniformly among the cells of the breakable columns."""
    rng = random.Random(seed + 1)
    count = round(rows * len(COLUMNS) * BAD_SHARE)
    picked = rng.sample(range(rows * len(BREAKABLE)), count)
    cells: dict[int, list[int]] = {}
    for flat in sorted(picked):
        row, slot = divmod(flat, len(BREAKABLE))
        cells.setdefault(row, []).append(BREAKABLE[slot])
    return cells


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def write(out, rows: int, seed: int, bad: bool) -> dict:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    bad_cells = choose_bad_cells(rows, seed) if bad else {}
    rng = random.Random(seed + 2)
    by_column: Counter = Counter()
    by_kind: Counter = Counter()
    detectable = 0
    broken_rows = 0
    for index, row in enumerate(generate_rows(rows, seed)):
        columns = bad_cells.get(index)
        if columns:
            broken_rows += 1
            original = list(row)
            for column in columns:
                name = COLUMNS[column]
                kind, seen, breaker = rng.choice(BREAKERS[name])
                row[column] = breaker(rng, original)
                if (name == "idBeneficiaire" and not original[COL["rnaBeneficiaire"]]
                        and COL["rnaBeneficiaire"] not in columns and rng.random() < 0.3):
                    # Neither identifier: only the one-of-required check sees it.
                    kind, seen, row[column] = "one-of-required", False, ""
                by_column[name] += 1
                by_kind[f"{name}:{kind}"] += 1
                detectable += seen
        writer.writerow(row)
    total = sum(by_column.values())
    return {
        "rows": rows, "columns": len(COLUMNS), "cells": rows * len(COLUMNS),
        "seed": seed, "bad": bad, "bad_cells": total, "bad_rows": broken_rows,
        "bad_cells_seen_by_table_schema": detectable,
        "bad_cells_seen_only_by_custom_checks": total - detectable,
        "by_column": dict(by_column), "by_kind": dict(sorted(by_kind.items())),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="CSV file to write ('-' for stdout)")
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--bad", action="store_true",
                        help="break about %d%%%% of the cells" % round(BAD_SHARE * 100))
    parser.add_argument("--manifest", help="write what was broken to this JSON file")
    args = parser.parse_args(argv)

    if args.out == "-":
        summary = write(sys.stdout, args.rows, args.seed, args.bad)
    else:
        with open(args.out, "w", encoding="utf-8", newline="") as out:
            summary = write(out, args.rows, args.seed, args.bad)
    if args.manifest:
        with open(args.manifest, "w", encoding="utf-8") as out:
            json.dump(summary, out, indent=2, ensure_ascii=False)
            out.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
