"""The personal data check and its detectors: pure functions, no CKAN."""
from __future__ import annotations

import json
import random

import pytest

from ckanext.partnership.checks.base import MAX_ROWS
from ckanext.partnership.checks.personal import (
    BATCH_ROWS, PersonalDataCheck, is_email, is_french_phone, is_iban,
    is_nir, personal_column_kind, value_kinds)


def with_key(body: str) -> str:
    """``body`` (13 characters of a NIR, spaces allowed) followed by its
    key, computed from the rule: 97 - (number mod 97), Corsican 2A and 2B
    read as 19 and 18."""
    digits = body.replace(" ", "")
    department = {"2A": "19", "2B": "18"}.get(digits[5:7], digits[5:7])
    number = int(digits[:5] + department + digits[7:])
    return f"{body} {97 - number % 97:02d}"


def mod97(iban: str) -> int:
    text = iban.replace(" ", "").upper()
    text = text[4:] + text[:4]
    return int("".join(str(int(c, 36)) for c in text)) % 97


def run(header, rows, standard=(), first=2):
    check = PersonalDataCheck(standard_columns=standard)
    check.header(header)
    for number, cells in enumerate(rows, first):
        check.row(number, cells)
    return check.result()


def codes(result):
    return [(f["code"], f["column"]) for f in result["findings"]]


# ------------------------------------------------------------------ NIR

def test_the_test_key_helper_agrees_with_published_examples():
    assert with_key("1 84 12 76 451 089") == "1 84 12 76 451 089 46"
    assert with_key("2 55 08 14 168 025") == "2 55 08 14 168 025 38"


@pytest.mark.parametrize("nir", [
    "1 84 12 76 451 089 46", "184127645108946", "2 55 08 14 168 025 38",
    " 255081416802538 ",
])
def test_published_nirs(nir):
    assert is_nir(nir)


@pytest.mark.parametrize("body", [
    "1 84 12 76 451 089", "2 99 01 75 056 123",
    "3 70 05 99 352 001",     # temporary number, born abroad
    "4 01 12 13 055 300", "7 65 03 33 063 017", "8 12 09 69 123 456",
    "1 80 20 59 350 002",     # fictitious months 20..42
    "2 80 42 59 350 002", "1 45 50 13 055 201",  # 50..99: month unknown
    "1 45 99 13 055 201",
    "2 91 07 971 12 345",     # overseas: 3-digit department
    "1 02 03 2A 004 017", "2 02 03 2B 033 101",  # Corsica
])
def test_nirs_with_their_key(body):
    nir = with_key(body)
    assert is_nir(nir)
    assert is_nir(nir.replace(" ", ""))
    assert value_kinds(f"NIR : {nir}.") == {"nir"}


def test_a_nir_with_any_other_key_is_not_one():
    right = with_key("1 84 12 76 451 089")[-2:]
    for key in range(100):
        if f"{key:02d}" != right:
            assert not is_nir(f"1 84 12 76 451 089 {key:02d}")
            assert not is_nir(f"1841276451089{key:02d}")


@pytest.mark.parametrize("body", ["1 02 03 2A 004 017", "2 02 03 2B 033 101"])
def test_corsican_nirs_are_keyed_on_19_and_18(body):
    digits = body.replace(" ", "")
    # The key computed on 20 (the old department) instead of 19 or 18.
    wrong = 97 - int(digits[:5] + "20" + digits[7:]) % 97
    assert is_nir(with_key(body))
    assert not is_nir(f"{body} {wrong:02d}")


@pytest.mark.parametrize("body", [
    "5 84 12 76 451 089", "0 84 12 76 451 089", "9 84 12 76 451 089",
    "1 84 00 76 451 089", "1 84 13 76 451 089", "1 84 19 76 451 089",
    "1 84 43 76 451 089", "1 84 49 76 451 089",
])
def test_impossible_nirs_even_with_a_right_key(body):
    assert not is_nir(with_key(body))


@pytest.mark.parametrize("value", [
    "", "18412764510894", "1841276451089466", "21060004500392",
    "1 84 12 76 451 089", "1.84.12.76.451.089.46", "184127645108946a",
])
def test_not_nirs(value):
    assert not is_nir(value)


def test_random_15_digit_numbers_count_only_with_the_right_key():
    rng = random.Random(7)
    for _ in range(500):
        body = (rng.choice("12") + f"{rng.randrange(100):02d}"
                + f"{rng.randrange(1, 13):02d}"
                + "".join(rng.choice("0123456789") for _ in range(8)))
        right = int(with_key(body)[-2:])
        for key in (right, (right + 1) % 100, (right + 50) % 100):
            assert is_nir(f"{body}{key:02d}") is (key == right)


# ----------------------------------------------------------------- IBAN

@pytest.mark.parametrize("iban", [
    "FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189",
    "fr76 3000 6000 0112 3456 7890 189", "DE89 3704 0044 0532 0130 00",
    "GB82 WEST 1234 5698 7654 32", "NL91ABNA0417164300",
    "BE68 5390 0754 7034", "CH93 0076 2011 6238 5295 7",
    "IT60 X054 2811 1010 0000 0123 456", "MC58 1122 2000 0101 2345 6789 030",
])
def test_valid_ibans(iban):
    assert mod97(iban) == 1   # the examples themselves
    assert is_iban(iban)


def test_french_ibans_are_27_characters():
    assert len("FR7630006000011234567890189") == 27
    # A 26-character "FR" number whose checksum is right nonetheless.
    body = "3000600001123456789018"
    for check in range(2, 99):
        if mod97(f"FR{check:02d}{body}") == 1:
            break
    assert mod97(f"FR{check:02d}{body}") == 1
    assert not is_iban(f"FR{check:02d}{body}")


@pytest.mark.parametrize("value", [
    "FR76 3000 6000 0112 3456 7890 188",   # last digit
    "FR77 3000 6000 0112 3456 7890 189",   # check digits
    "FR76 3000 6000 0112 3456 7890 198",   # two digits swapped
    "DE89 3704 0044 0532 0130 01", "GB82 WEST 1234 5698 7654 33",
    "FR76", "FR76 3000", "7630006000011234567890189FR", "",
    "FR76-3000-6000-0112-3456-7890-189",
])
def test_invalid_ibans(value):
    assert not is_iban(value)


def test_in_text_an_iban_is_looked_for_in_capitals():
    assert value_kinds("RIB : FR76 3000 6000 0112 3456 7890 189") == {"iban"}
    assert value_kinds("GB82 WEST 1234 5698 7654 32") == {"iban"}
    assert value_kinds("gb82 west 1234 5698 7654 32") == set()
    assert is_iban("gb82 west 1234 5698 7654 32")
    assert value_kinds("XFR76 3000 6000 0112 3456 7890 189") == set()


# ---------------------------------------------------------------- phone

@pytest.mark.parametrize("phone", [
    "0612345678", "06 12 34 56 78", "06.12.34.56.78", "06-12-34-56-78",
    "01 23 45 67 89", "09 70 12 34 56", " 04 91 00 00 00 ",
    "06\u00a012\u00a034\u00a056\u00a078", "+33612345678",
    "+33 6 12 34 56 78", "+33 (0)6 12 34 56 78", "+33(0)612345678",
    "0033 6 12 34 56 78", "0033612345678", "+33 1 23 45 67 89",
])
def test_french_phones(phone):
    assert is_french_phone(phone)
    assert value_kinds(f"Tél. : {phone}.") == {"phone"}


@pytest.mark.parametrize("value", [
    "210600045",             # SIREN
    "21060004500392",        # SIRET
    "123 456 789 00012",     # SIRET, spaced
    "75056", "2A004", "06000", "01053",   # INSEE codes, postcodes
    "99786.57", "1 234 567,89", "0612345678.5",   # amounts
    "2021-06-12", "12/06/2021", "06.12.2021", "2021-06-12T08:30:00",
    "2021", "2018-2019",
    "061234567", "06123456789",   # 9 and 11 digits
    "0012345678", "0 612345678", "06 12.34 56 78",   # no such numbering
    "01 02 03 04 05 06",     # a list of numbers, not a phone
    "+33 06 12 34 56 78", "+44 20 7946 0958", "",
])
def test_not_french_phones(value):
    assert not is_french_phone(value)
    assert "phone" not in value_kinds(value)


@pytest.mark.parametrize("text", [
    "SIRET 21060004500392, montant 99786.57 € le 2021-06-12",
    "Convention du 06.12.2021, délibération n° 2021-06-0123",
    "codes INSEE 01053 01054 01055 01056 01057, CP 75001",
    "A0612345678", "réf. DOSSIER_0612345678",
])
def test_no_phone_in_numbers_that_are_not_phones(text):
    assert "phone" not in value_kinds(text)


# --------------------------------------------------------------- e-mail

@pytest.mark.parametrize("email", [
    "jean.dupont@free.fr", "j.d+tag@mairie-evry.fr", " a@b.fr ",
    "contact@sub.domain.co.uk", "andré.lefèvre@exemple.fr",
])
def test_emails(email):
    assert is_email(email)
    assert value_kinds(f"écrire à {email}, merci") == {"email"}


@pytest.mark.parametrize("value", [
    "", "jean.dupont@", "@free.fr", "jean@free", "jean dupont",
    "jean..dupont@free.fr", ".jean@free.fr", "prix 10@5", "@mairie",
])
def test_not_emails(value):
    assert not is_email(value)


def test_an_email_inside_text_is_found():
    assert not is_email("écrire à jean.dupont@free.fr")
    assert value_kinds("écrire à jean.dupont@free.fr") == {"email"}
    assert value_kinds("<jean.dupont@free.fr>") == {"email"}


def test_values_inside_text():
    text = ("Contact : jean.dupont@free.fr ou 06 12 34 56 78 ; "
            "RIB FR76 3000 6000 0112 3456 7890 189 ; NIR "
            + with_key("1 84 12 76 451 089"))
    assert value_kinds(text) == {"email", "phone", "iban", "nir"}
    assert value_kinds("Subvention de fonctionnement 2021") == set()


# --------------------------------------------------------- column names

@pytest.mark.parametrize("name, kind", [
    ("nom", "family_name"), ("NOM", "family_name"),
    ("Nom de famille", "family_name"), ("lastName", "family_name"),
    ("last_name", "family_name"), ("surname", "family_name"),
    ("nom_naissance", "family_name"), ("nom d'usage", "family_name"),
    ("Nom marital", "family_name"), ("patronyme", "family_name"),
    ("nom2", "family_name"), ("family-name", "family_name"),
    ("nom_prenom", "full_name"), ("Prénom Nom", "full_name"),
    ("NOM ET PRENOM", "full_name"), ("nomComplet", "full_name"),
    ("fullName", "full_name"), ("Identité", "full_name"),
    ("prenom", "first_name"), ("Prénom", "first_name"),
    ("PRENOMS", "first_name"), ("prenom1", "first_name"),
    ("firstName", "first_name"), ("given_name", "first_name"),
    ("date_naissance", "birth_date"), ("dateNaissance", "birth_date"),
    ("DATE_DE_NAISSANCE", "birth_date"), ("birth_date", "birth_date"),
    ("birthdate", "birth_date"), ("date of birth", "birth_date"),
    ("DOB", "birth_date"), ("naissance", "birth_date"),
    ("Né(e) le", "birth_date"), ("lieu_de_naissance", "birth_place"),
    ("birthPlace", "birth_place"),
    # a name column of the person it names: the register of elected
    # officials, civil registers
    ("Nom de l'élu", "family_name"), ("Prénom de l'élu", "first_name"),
    ("nom_famille_enfant", "family_name"), ("prenom_enfant", "first_name"),
    ("NOM_AGENT", "family_name"), ("nomDefunt", "family_name"),
])
def test_personal_column_names(name, kind):
    assert personal_column_kind(name) == kind


@pytest.mark.parametrize("name", [
    "nomBeneficiaire", "nomAttribuant", "nom_commune", "NOM_Beneficiaire",
    "nomOperateur", "nom_station", "denomination", "nombre", "name",
    "dateConvention", "date", "email", "telephone", "",
    "montant", "lieu", "naissances_2021_total", "COMMUNE_NOM",
    "ENFANT_PRENOM",
])
def test_other_column_names(name):
    assert personal_column_kind(name) is None


# ---------------------------------------------------------------- check

def test_result_shape_and_values_found_in_their_columns():
    """E-mail addresses, telephone numbers, NIRs and IBANs are found in their columns
    and rows and fail the personal-data check (002 §2.3)."""
    nir = with_key("2 55 08 14 168 025")
    result = run(["objet", "contact", "montant", "note"], [
        ["Fonctionnement", "écrire à jean.dupont@free.fr", "1500", ""],
        ["Tél. 06 12 34 56 78", "", "99786.57", "NIR " + nir],
        ["Investissement", "", "12", "FR76 3000 6000 0112 3456 7890 189"],
    ])
    assert set(result) == {"check", "status", "findings"}
    assert result["check"] == "personal_data"
    assert result["status"] == "failure"
    assert result["findings"] == [
        {"code": "phone", "severity": "error", "column": "objet",
         "count": 1, "rows": [3]},
        {"code": "email", "severity": "error", "column": "contact",
         "count": 1, "rows": [2]},
        {"code": "nir", "severity": "error", "column": "note",
         "count": 1, "rows": [3]},
        {"code": "iban", "severity": "error", "column": "note",
         "count": 1, "rows": [4]},
    ]


def test_a_clean_subsidy_file_has_no_finding():
    header = ["nomAttribuant", "idAttribuant", "dateConvention",
              "nomBeneficiaire", "idBeneficiaire", "objet", "montant",
              "datesPeriodeVersement", "codeInsee", "codePostal"]
    rows = [["Ville de Brest", "21290019700017", "2021-06-12",
             "ASSOCIATION SPORTIVE DU PORT", "52499120500013",
             "Fonctionnement 2021-2022, 3e édition, 12 345 €", "99786.57",
             "2021-06-12/2021-12-31", "29019", "29200"],
            ["Région Bretagne", "23350001600040", "06.12.2021",
             "CCAS de Quimper", "26290223300011", "Aide n° 2021-06-0123",
             "1 234 567,89", "12/06/2021", "2A004", "06000"]] * 600
    result = run(header, rows, standard=header)
    assert result == {"check": "personal_data", "status": "success",
                      "findings": []}


def test_severity_follows_the_standard_columns():
    header = ["contact_operateur", "commentaire"]
    rows = [["contact@operateur.fr", "joindre marie@exemple.fr"]]
    result = run(header, rows, standard=["contact_operateur", "autre"])
    assert [(f["code"], f["column"], f["severity"])
            for f in result["findings"]] == [
        ("email", "contact_operateur", "warning"),
        ("email", "commentaire", "error")]
    assert result["status"] == "failure"
    only_standard = run(header, [["contact@operateur.fr", "rien"]],
                        standard=header)
    assert only_standard["status"] == "warning"


def test_a_first_name_column_alone_is_not_reported():
    header = ["annee", "sexe", "prenom", "nombre"]
    rows = [["2021", "F", "Louise", "12"], ["2021", "M", "Gabriel", "10"]]
    assert run(header, rows)["findings"] == []


def test_a_first_name_column_is_reported_with_a_family_name_column():
    header = ["prenom", "nom", "ville"]
    rows = [["Louise", "Martin", "Brest"], ["Gabriel", "", "Brest"],
            ["", "", "Quimper"]]
    result = run(header, rows, standard=["prenom"])
    assert result["findings"] == [
        {"code": "column_name", "severity": "warning", "column": "prenom",
         "kind": "first_name", "count": 2, "rows": [2, 3]},
        {"code": "column_name", "severity": "error", "column": "nom",
         "kind": "family_name", "count": 1, "rows": [2]},
    ]


def test_first_name_and_birth_date_report_the_birth_date_only():
    result = run(["Prénom", "dateNaissance"], [["Louise", "2021-03-04"]])
    assert [(f["code"], f["column"], f["kind"])
            for f in result["findings"]] == [
        ("column_name", "dateNaissance", "birth_date")]


def test_name_columns_are_reported_even_when_empty():
    result = run(["nomBeneficiaire", "NOM", "lieu_de_naissance"],
                 [["Club", "", ""]])
    assert [(f["column"], f["kind"], f["count"])
            for f in result["findings"]] == [
        ("NOM", "family_name", 0), ("lieu_de_naissance", "birth_place", 0)]
    assert result["status"] == "failure"


def test_counts_keep_the_first_rows_and_the_full_count():
    rows = [["x", f"agent{i}@mairie.fr" if i % 3 == 0 else "néant"]
            for i in range(3 * BATCH_ROWS + 7)]
    result = run(["a", "b"], rows)
    [finding] = result["findings"]
    expected = [number for number, cells in enumerate(rows, 2)
                if "@" in cells[1]]
    assert finding["count"] == len(expected) == BATCH_ROWS + 3
    assert finding["rows"] == expected[:MAX_ROWS]
    assert len(finding["rows"]) == MAX_ROWS


def test_a_cell_counts_once_and_each_kind_apart():
    result = run(["texte"], [
        ["a@b.fr, c@d.fr, 06 12 34 56 78 et 07 12 34 56 78"],
        ["e@f.fr"]])
    assert [(f["code"], f["count"], f["rows"])
            for f in result["findings"]] == [
        ("email", 2, [2, 3]), ("phone", 1, [2])]


TRICKY_CELLS = [
    "06 12 34 56 78", "0612345678", "+33 6 12 34 56 78", "0033612345678",
    "06\u202f12\u202f34\u202f56\u202f78", "tel.06.12.34.56.78",
    "01 02 03 04 05 06", "2021-06-12 08:30:45", "21060004500392",
    "12 345 678 901 234", with_key("1 84 12 76 451 089"),
    with_key("1 84 12 2A 451 089").replace(" ", ""),
    with_key("1 84 12 76 451 089")[:-2] + "00",
    "FR76 3000 6000 0112 3456 7890 189", "fr7630006000011234567890189",
    "GB82WEST12345698765432", "IBAN: GB82 WEST 1234 5698 7654 32.",
    "e1a3b2c4-ab12-4cd3-9f00-fe12ab34cd56",
    "W751234567", "contact: x@y.fr", "x@y", "a\u00a0b", "«0612345678»",
    "réf FR12 2021", "ANNEE 2021", "", " ",
]


def test_the_check_agrees_with_the_detectors_cell_by_cell():
    # The prefilter, which looks at whole batches of rows, must let
    # through every row where the detectors find something.
    rng = random.Random(3)
    filler = ["Ville de Brest", "21290019700017", "2021-06-12", "99786.57",
              "Subvention de fonctionnement", "2A004"]
    rows = []
    for i in range(2 * BATCH_ROWS + 100):
        cells = [rng.choice(filler) for _ in range(4)]
        if i % 7 == 0:
            cells[rng.randrange(4)] = rng.choice(TRICKY_CELLS)
        rows.append(cells)
    expected: dict[tuple[str, str], list[int]] = {}
    for number, cells in enumerate(rows, 2):
        for index, cell in enumerate(cells):
            for kind in value_kinds(cell):
                expected.setdefault((kind, f"c{index}"), []).append(number)
    result = run(["c0", "c1", "c2", "c3"], rows)
    found = {(f["code"], f["column"]): f for f in result["findings"]}
    assert set(found) == set(expected)
    for key, numbers in expected.items():
        assert found[key]["count"] == len(numbers)
        assert found[key]["rows"] == numbers[:MAX_ROWS]
    assert {code for code, _ in found} == {"email", "phone", "nir", "iban"}


def test_cells_holding_the_internal_separators():
    result = run(["a", "b", "c"], [
        ["x\x1fy", "rien", "06 12 34 56 78"],
        ["x\x1ey", "z@exemple.fr", "rien"],
        ["", "", "07 00 00 00 01"]])
    assert [(f["code"], f["column"], f["rows"])
            for f in result["findings"]] == [
        ("email", "b", [3]), ("phone", "c", [2, 4])]


def test_columns_past_the_header_are_named_by_position():
    result = run(["a"], [["rien", "z@exemple.fr"]], standard=["a"])
    assert codes(result) == [("email", "#2")]
    assert result["findings"][0]["severity"] == "error"


def test_no_header_no_row():
    assert run([], [])["status"] == "success"
    check = PersonalDataCheck()
    check.row(2, ["z@exemple.fr"])
    assert codes(check.result()) == [("email", "#1")]


def test_odd_text_does_not_break_the_check():
    result = run(["a", "b"], [["\udcff\x00\ufffd", "é" * 10_000],
                              ["\u2028", "06 12 34 56 78\udcff"]])
    assert codes(result) == [("phone", "b")]


SAMPLE = [
    ["nom", "prenom", "date_naissance", "courriel", "telephone",
     "commentaire", "rib", "nir"],
    ["Dupont", "Jean", "1984-12-03", "jean.dupont@free.fr",
     "06 12 34 56 78", "rappeler Mme Durand au 01.23.45.67.89",
     "FR76 3000 6000 0112 3456 7890 189", with_key("1 84 12 76 451 089")],
    ["Lefèvre", "Anne-Sophie", "1990-07-21", "a.lefevre@exemple.org",
     "+33 7 98 76 54 32", "écrire à anne.sophie@laposte.net",
     "DE89 3704 0044 0532 0130 00", with_key("2 90 07 2A 004 017")],
]


def test_values_never_appear_in_the_result():
    """The report of the personal-data check never repeats the personal data it found
    (002 §2.3)."""
    result = run(SAMPLE[0], SAMPLE[1:], standard=["courriel"])
    dumped = json.dumps(result, ensure_ascii=False)
    assert {f["code"] for f in result["findings"]} == {
        "column_name", "email", "phone", "iban", "nir"}
    for cells in SAMPLE[1:]:
        for cell in cells:
            assert cell not in dumped
            for part in cell.replace(".", " ").split():
                if len(part) > 3:
                    assert part not in dumped, part
    for value in ("0612345678", "Dupont", "Lefèvre", "3704", "free.fr"):
        assert value not in dumped


def test_a_data_row_read_as_header_is_not_echoed():
    header = ["Dupont", "jean.dupont@free.fr", "06 12 34 56 78"]
    result = run(header, [["Martin", "m@exemple.fr", "07 98 76 54 32"]])
    dumped = json.dumps(result, ensure_ascii=False)
    for value in header[1:]:
        assert value not in dumped
    assert codes(result) == [("email", "#2"), ("phone", "#3")]


# -- a column named only "nom": people, or a school, a street, a place -------

@pytest.mark.parametrize("values", [
    ["Collège Mignet", "Collège Jean Moulin", "Collège Marcel Pagnol"],
    ["Rue Victor Hugo", "Avenue du Général de Gaulle", "Place Jean Jaurès"],
    ["Aix-en-Provence", "Marseille", "Saint-Rémy-de-Provence"],
    ["La Durance", "Le Lez", "L'Huveaune"],
    ["Martin", "Dupont", "Bernard"],  # family names alone identify no one
])
def test_a_nom_column_without_evidence_is_not_peoples_names(values):
    result = run(["uai", "nom", "commune"],
                 [["0130001A", value, "Aix-en-Provence"] for value in values])
    assert codes(result) == []


@pytest.mark.parametrize("header", [["NOM", "prenom"], ["nom", "date_naissance"],
                                    ["Noms", "lieu de naissance"]])
def test_a_nom_column_beside_a_first_name_or_birth_column_is_peoples_names(header):
    result = run(header, [["Collège Mignet", "Louise"]])
    assert ("column_name", header[0]) in {(f["code"], f["column"]) for f in result["findings"]}
    assert [f["kind"] for f in result["findings"] if f["column"] == header[0]] == ["family_name"]


def test_a_nom_column_of_peoples_names_is_found_by_its_values():
    values = ["DUPONT Jean", "Martin Sophie", "Marie-Claire LEROY", "BERNARD Luc",
              "Association des parents d'élèves"]
    result = run(["nom", "commune"], [[value, "Arles"] for value in values])
    assert [(f["code"], f["column"], f["kind"], f["count"]) for f in result["findings"]] == [
        ("column_name", "nom", "family_name", 5)]


def test_an_unambiguous_family_name_column_needs_no_evidence():
    result = run(["nom de famille", "commune"], [["Collège Mignet", "Arles"]])
    assert [f["kind"] for f in result["findings"]] == ["family_name"]
