"""Personal data in a table: the check, and the detectors it uses.

French local authorities may only publish anonymised data, so before a
partner's CSV file is published the portal looks for what identifies a
person:

* *values*: e-mail addresses, French phone numbers, social security
  numbers (NIR, checked with their key) and IBANs (checked with their
  mod-97 digits), alone in a cell or inside text. In text an IBAN is
  looked for in its printed form, in capitals (``is_iban`` also accepts a
  value in lower case);
* *column names*: family names, full names, birth dates and birth places
  (``personal_column_kind``). A first-name column alone is not reported:
  first names without family names do not identify anyone, and the
  national standard of newborns' first names publishes them. It is
  reported when the table also has a family-name or a full-name column.
  A column named only ``nom`` (or ``noms``) is, in open data, far more
  often a school, a street, a facility or a place than a person: it counts
  as family names only with evidence (``nom_is_personal``): a first-name,
  full-name, birth-date or birth-place column in the same table, or values
  that look like people's names, i.e. at least half of its first
  ``NAME_SAMPLE`` non-empty values (and at least two) are a known first
  name beside one or two other words, none of them a facility or place
  word (« Collège Jean Moulin », « Rue Victor Hugo » are not people;
  « DUPONT Jean », « Marie Martin » are). Unambiguous names (``nom de
  famille``, ``patronyme``, ``surname``…) need no evidence.

A finding in a column the file's data standard defines is a ``warning``:
the standard asks for that column (an operator's contact e-mail, say) and
a person confirms it holds professional contacts. Anywhere else it is an
``error``.

Findings, as in ``base``: ``{"code", "severity", "column", "count",
"rows"}``, ordered by column. Codes are ``email``, ``phone``, ``nir`` and
``iban`` for values (``count``: the cells of that column holding at least
one such value) and ``column_name`` with an extra ``kind`` for column
names (``count``: the non-empty cells of that column; the column is
reported even when it is empty, with a count of 0). No finding, exception
or log line ever holds a cell's value. A header name that itself looks
like personal data (a file without a header row) is replaced by the
column's position, ``"#3"``.

Speed: the check sees every cell of files of hundreds of thousands of
rows, and running four regexes on each cell would cost more than reading
the file. So ``row`` only keeps the row, its cells joined and encoded to
UTF-8; every ``BATCH_ROWS`` rows the batch is joined into one buffer,
mapped with ``bytes.translate`` (a C loop over a 256-byte table: digits
to ``9``, letters to ``X`` or ``x``, punctuation to ``b``, spaces
deleted...), and plain substring searches (``bytes.find``, much faster
than a regex) find the rows that may hold a value, and of which kind:
``@``; ``+`` or ``0033``; 10 digits alone or 5 pairs of digits (phones);
15 digits once the spaces are gone (NIR); two capitals starting a word
and two digits (IBAN). These prefilters fire on every row where the exact
detectors find something, and on a few more. Only on those rows do the
exact regexes run; a match's offset gives its column, and the NIR key or
the IBAN checksum confirms it. On 300,000 rows of subsidies (16 columns,
73 MB) the check costs about a second.

Cost: linear in the file. A row's matches are sorted by offset and their
columns counted in one walk along the row (``scanned`` counts the
characters that walk reads: at most the row's length, however many
matches the row holds), and a row is only compared with the name columns
it reaches.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Collection, Iterator, Optional

from .base import Check, Counter, Finding, Result, status_of

EMAIL = "email"
PHONE = "phone"
NIR = "nir"
IBAN = "iban"
COLUMN_NAME = "column_name"

#: Order of the value findings of one column in the result.
VALUE_KINDS = (EMAIL, PHONE, NIR, IBAN)

FAMILY_NAME = "family_name"
FULL_NAME = "full_name"
FIRST_NAME = "first_name"
BIRTH_DATE = "birth_date"
BIRTH_PLACE = "birth_place"

#: Rows kept before the prefilters run on them together.
BATCH_ROWS = 256

# The cells of a row are joined with a control character that CSV cells
# practically never hold (a row where one does is scanned cell by cell).
_JOIN = "\x1f"
# Rows of a batch are separated by _ROW, each framed by _JOIN so that its
# first and last cells also have a boundary on both sides.
_ROW = "\x1e"
_ROW_BYTE = b"\x1e"
_JOIN_BYTE = b"\x1f"

# --------------------------------------------------------------- e-mail

_LOCAL_CHARS = r"\w.!#$%&'*+/=?^`{|}~\-"
_LABEL = r"[^\W_](?:[\w\-]{0,61}[^\W_])?"
_EMAIL_RE = re.compile(
    # Start at the beginning of the local part only, so that a long run
    # of word characters is not rescanned from each of its positions.
    rf"(?<![{_LOCAL_CHARS}])[{_LOCAL_CHARS}]+"
    rf"@(?:{_LABEL}\.)+[^\W\d_]{{2,63}}(?![\w\-])")


def is_email(value: str) -> bool:
    """Whether ``value`` (surrounding spaces aside) is an e-mail address."""
    value = value.strip()
    if not _EMAIL_RE.fullmatch(value):
        return False
    local = value.rsplit("@", 1)[0]
    return not (local.startswith(".") or local.endswith(".")
                or ".." in local)


# ---------------------------------------------------------------- phone

# Separators between the pairs of digits: space, no-break spaces, dot,
# dash. One number uses one separator throughout ("06 12.34" is not one).
_PHONE_SEP = "[ .\\-\u00a0\u202f]"
_PHONE_AFTER = r"(?!\w|[.,][0-9]|(?P={sep})[0-9])"
_PHONE_PAIRS = ("[1-9](?P<{sep}>" + _PHONE_SEP + "?)[0-9]{{2}}"
                "(?:(?P={sep})[0-9]{{2}}){{3}}" + _PHONE_AFTER)
# Not inside a word or a number ("21123456700012", "2021-06-12",
# "99786.05", "01 02 03"). Checked after the first character, so that
# the regex keeps a literal first character the engine can jump to.
_PHONE_BEFORE = ("(?<![\\w+]{c})(?<![0-9][.,]{c})(?<![0-9]"
                 + _PHONE_SEP + "{c})")
_PHONE_NATIONAL_RE = re.compile(
    "0" + _PHONE_BEFORE.format(c="0") + _PHONE_PAIRS.format(sep="n"))
_PHONE_INTL_RE = re.compile(
    "(?:0" + _PHONE_BEFORE.format(c="0") + "0|\\+(?<![\\w+]\\+))33"
    + _PHONE_SEP + "?(?:\\(0\\)" + _PHONE_SEP + "?)?"
    + _PHONE_PAIRS.format(sep="i"))


def is_french_phone(value: str) -> bool:
    """Whether ``value`` is a French phone number: ``0[1-9]`` and four
    pairs of digits, or ``+33``/``0033`` (optionally ``(0)``), ``[1-9]``
    and four pairs; pairs optionally separated by one kind of separator
    (space, dot or dash)."""
    value = value.strip()
    return bool(_PHONE_NATIONAL_RE.fullmatch(value)
                or _PHONE_INTL_RE.fullmatch(value))


# ------------------------------------------------------------------ NIR

_NIR_SEP = "[ \u00a0\u202f]?"
_NIR_RE = re.compile(
    "[1-478](?<!\\w.)(?<![0-9][.,].)" + _NIR_SEP
    + "[0-9]{2}" + _NIR_SEP                                # year
    + "(?:0[1-9]|1[0-2]|[2-3][0-9]|4[0-2]|[5-9][0-9])"     # month
    + _NIR_SEP
    + "(?:(?:[0-9]{2}|2[AB])" + _NIR_SEP + "[0-9]{3}"      # department,
    + "|9[78][0-9]" + _NIR_SEP + "[0-9]{2})"               # commune
    + _NIR_SEP + "[0-9]{3}"                                # order
    + _NIR_SEP + "[0-9]{2}"                                # key
    + "(?!\\w|[.,][0-9])")
_NIR_STRIP = str.maketrans("", "", " \u00a0\u202f")
_CORSICA = {"2A": "19", "2B": "18"}


def _nir_key_ok(candidate: str) -> bool:
    """Whether a string matched by ``_NIR_RE`` has the right key."""
    digits = candidate.translate(_NIR_STRIP)
    body, key = digits[:13], digits[13:]
    department = body[5:7]
    if department in _CORSICA:
        body = body[:5] + _CORSICA[department] + body[7:]
    return 97 - int(body) % 97 == int(key)


def is_nir(value: str) -> bool:
    """Whether ``value`` is a French social security number (NIR) with
    the right key, written with or without spaces."""
    value = value.strip()
    return bool(_NIR_RE.fullmatch(value)) and _nir_key_ok(value)


# ----------------------------------------------------------------- IBAN

_IBAN_SEP = "[ \u00a0\u202f]?"
_IBAN_RE = re.compile(
    # In text, the printed form: upper case, the country code and check
    # digits written together, then groups of four, spaced or not.
    "[A-Z](?<!\\w.)[A-Z][0-9]{2}"
    "(?:" + _IBAN_SEP + "[A-Z0-9]{4}){2,7}"
    "(?:" + _IBAN_SEP + "[A-Z0-9]{1,3})?(?!\\w)")
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_IBAN_STRIP = str.maketrans("", "", " \u00a0\u202f\t")
_IBAN_LETTERS = str.maketrans(
    {chr(c): str(c - ord("A") + 10) for c in range(ord("A"), ord("Z") + 1)})
#: Lengths enforced for a few countries (lengths that have not changed
#: for years); other countries only get the 15..34 bounds and the checksum.
IBAN_LENGTHS = {
    "FR": 27, "MC": 27, "DE": 22, "BE": 16, "ES": 24, "IT": 27, "GB": 22,
    "CH": 21, "LU": 20, "NL": 18, "PT": 25, "AT": 20, "IE": 22,
}


def is_iban(value: str) -> bool:
    """Whether ``value`` is an IBAN: two letters, two check digits, up to
    30 letters or digits, spaces allowed anywhere, and ISO 7064 mod 97
    equal to 1 (French IBANs: 27 characters)."""
    iban = value.translate(_IBAN_STRIP).upper()
    if not _IBAN_SHAPE.fullmatch(iban):
        return False
    if iban[2:4] in ("00", "01", "99"):
        return False
    length = IBAN_LENGTHS.get(iban[:2])
    if length is not None and len(iban) != length:
        return False
    number = (iban[4:] + iban[:4]).translate(_IBAN_LETTERS)
    return int(number) % 97 == 1


# ------------------------------------------------------ values in text

def _hits(text: str, kinds: Collection[str] = VALUE_KINDS
          ) -> list[tuple[int, str]]:
    """Offsets and kinds of the personal values of ``kinds`` found in
    ``text`` (one cell, or a row's cells joined with ``_JOIN``): the exact
    detectors, without prefilter."""
    hits: list[tuple[int, str]] = []
    if EMAIL in kinds:
        # Only in the cells that hold an "@".
        at = text.find("@")
        while at >= 0:
            start = text.rfind(_JOIN, 0, at) + 1
            end = text.find(_JOIN, at)
            if end < 0:
                end = len(text)
            hits.extend((m.start(), EMAIL)
                        for m in _EMAIL_RE.finditer(text, start, end))
            at = text.find("@", end)
    if PHONE in kinds:
        if "+" in text or "0033" in text:
            hits.extend((m.start(), PHONE)
                        for m in _PHONE_INTL_RE.finditer(text))
        hits.extend((m.start(), PHONE)
                    for m in _PHONE_NATIONAL_RE.finditer(text))
    if NIR in kinds:
        hits.extend((m.start(), NIR) for m in _NIR_RE.finditer(text)
                    if _nir_key_ok(m.group()))
    if IBAN in kinds:
        hits.extend((m.start(), IBAN) for m in _IBAN_RE.finditer(text)
                    if is_iban(m.group()))
    return hits


def value_kinds(value: str) -> set[str]:
    """The kinds of personal values (``email``, ``phone``, ``nir``,
    ``iban``) found in ``value``, alone or inside text."""
    return {kind for _, kind in _hits(value)}


# ----------------------------------------------------------- prefilters

def _table(mapping: dict[bytes, bytes], default: Optional[bytes] = None
           ) -> bytes:
    """A ``bytes.translate`` table: identity or ``default``, then
    ``mapping``. The row separator always maps to itself."""
    table = bytearray(range(256) if default is None else default * 256)
    for chars, to in mapping.items():
        for c in chars:
            table[c] = to[0]
    table[_ROW_BYTE[0]] = _ROW_BYTE[0]
    return bytes(table)


_DIGITS = b"0123456789"
_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = _UPPER.lower()

#: Phones and IBANs: digits are 9, capitals X, small letters x, any other
#: byte is a boundary b. The no-break spaces U+00A0 and U+202F (c2 a0,
#: e2 80 af) become one b: their continuation bytes are deleted
#: (continuation bytes only, so every other character keeps a b). A
#: national phone number is then 10 digits between boundaries, or 5 pairs
#: of digits with one byte between them; an IBAN two capitals after a
#: boundary, then two digits.
_PHONE_IBAN_TABLE = _table({_DIGITS: b"9", _UPPER: b"X", _LOWER + b"_": b"x"},
                           default=b"b")
_PHONE_IBAN_DELETE = b"\x80\xa0\xaf"
#: NIR: digits and the A and B of Corsican departments are 9, spaces
#: deleted (and the bytes of U+00A0 and U+202F): a NIR written with or
#: without separators is then 15 digits in a row. A SIRET is 14.
_NIR_TABLE = _table({_DIGITS + b"AB": b"9"})
_NIR_DELETE = b" \xc2\xa0\xe2\x80\xaf"

#: For each map of the batch (None: the UTF-8 bytes as they are), the
#: substrings that make a row a candidate, and for which kind.
_NEEDLES: list[tuple[Optional[tuple[bytes, bytes]],
                     tuple[tuple[bytes, str], ...]]] = [
    (None, ((b"@", EMAIL), (b"+", PHONE), (b"0033", PHONE))),
    ((_PHONE_IBAN_TABLE, _PHONE_IBAN_DELETE),
     ((b"b9999999999b", PHONE), (b"99b99b99b99b99", PHONE),
      (b"bXX99", IBAN))),
    ((_NIR_TABLE, _NIR_DELETE), ((b"9" * 15, NIR),)),
]


def _rows_with(buffer: bytes, needle: bytes, kind: str,
               found: dict[int, set[str]]) -> None:
    """Record ``kind`` for each row of ``buffer`` that holds ``needle``.
    The row separator comes before the first row and after each row."""
    pos = buffer.find(needle)
    row, start = 0, 0
    while pos >= 0:
        row += buffer.count(_ROW_BYTE, start, pos)
        found.setdefault(row - 1, set()).add(kind)
        start = buffer.find(_ROW_BYTE, pos) + 1
        row += 1
        pos = buffer.find(needle, start)


def _candidate_rows(rows: list[bytes]) -> dict[int, Collection[str]]:
    """The ``rows`` (UTF-8, cells joined with ``_JOIN``) where a personal
    value may be, by index, with the kinds it may be of: every row and
    kind for which ``_hits`` finds something, and a few more."""
    # Every row between _JOIN + _ROW + _JOIN: its first and last cells
    # have a boundary on both sides too.
    raw = (_JOIN_BYTE + _ROW_BYTE + _JOIN_BYTE).join([b"", *rows, b""])
    if raw.count(_ROW_BYTE) != len(rows) + 1:
        # A cell holds the row separator: every row is a candidate.
        return dict.fromkeys(range(len(rows)), VALUE_KINDS)
    found: dict[int, set[str]] = {}
    for mapping, needles in _NEEDLES:
        buffer = raw if mapping is None else raw.translate(*mapping)
        for needle, kind in needles:
            _rows_with(buffer, needle, kind, found)
    return dict(sorted(found.items()))


# --------------------------------------------------------- column names

_NAME_PHRASES = {
    FAMILY_NAME: (
        "nom", "noms", "nom de famille", "nom de naissance", "nom d usage",
        "nom usuel", "nom marital", "nom d epouse", "nom de jeune fille",
        "patronyme", "nom patronymique", "last name", "surname",
        "family name"),
    FULL_NAME: (
        "nom prenom", "noms prenoms", "prenom nom", "prenoms noms",
        "nom complet", "full name", "identite"),
    FIRST_NAME: (
        "prenom", "prenoms", "prenom usuel", "first name", "given name",
        "forename"),
    BIRTH_DATE: (
        "date de naissance", "date naiss", "naissance", "ne le", "nee le",
        "birth date", "date of birth", "birthday", "dob"),
    BIRTH_PLACE: (
        "lieu de naissance", "commune de naissance", "ville de naissance",
        "birth place", "place of birth"),
}
#: Words a column name may hold besides the words of a phrase.
_FILLERS = frozenset(("de", "d", "du", "des", "l", "la", "le", "of", "et", "and"))
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _name_key(name: str) -> str:
    """Accents stripped, split into words (camelCase, snake_case, kebab,
    spaces), lower-cased, filler words and trailing numbers dropped, then
    glued: "Date_de_naissance", "dateNaissance" and "DATENAISSANCE" all
    give "datenaissance"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = [w.lower() for w in _WORD.findall(text)]
    while words and words[-1].isdigit():
        words.pop()
    return "".join(w for w in words if w not in _FILLERS)


#: The person a name column may name after its phrase: « Nom de l'élu »,
#: « prenom_enfant », « nomFamilleDefunt » (the register of elected
#: officials, civil registers, staff lists).
_PERSONS = ("elu", "elue", "enfant", "agent", "defunt", "defunte", "candidat",
            "candidate", "adherent", "adherente", "licencie", "licenciee",
            "salarie", "salariee", "eleve", "patient", "patiente", "benevole",
            "titulaire du mandat", "personne", "naissance enfant")
_NAME_KINDS = {_name_key(phrase) + suffix: kind
               for kind, phrases in _NAME_PHRASES.items()
               if kind in (FAMILY_NAME, FIRST_NAME, FULL_NAME)
               for phrase in phrases
               for suffix in ("", *(_name_key(p) for p in _PERSONS))}
_NAME_KINDS.update({_name_key(phrase): kind
                    for kind, phrases in _NAME_PHRASES.items()
                    for phrase in phrases})


#: Column names that may hold people's family names, or anything else.
_AMBIGUOUS_KEYS = frozenset(_name_key(p) for p in ("nom", "noms"))
#: Non-empty values of an ambiguous column looked at for evidence.
NAME_SAMPLE = 200
#: Common French first names (accents stripped, lower case): the evidence
#: that a value is a person's name.
_FIRST_NAMES = frozenset("""
adam adele adrien agathe agnes alain alan albert alexandre alexandra alexis
alice aline amandine ambre amelie anais andre angelique anne annie anthony
antoine arnaud arthur audrey aurelie axel baptiste benjamin benoit bernard
bertrand brigitte bruno camille capucine carole caroline catherine celine
chantal charles charlotte chloe christian christiane christine christophe
claire claude clement colette corinne cyril damien daniel danielle david
delphine denis denise didier dominique eliane elise elodie emilie emma
emmanuel emmanuelle eric esther etienne eve fabien fabienne fabrice fanny
florence florian francine francis francois francoise frederic gabriel
gabrielle gael genevieve georges gerard gilbert gilles ginette guillaume
guy helene henri hugo ines isabelle jacqueline jacques jade jean jeanne
jeremy jerome joel josette joseph josiane judith julie julien juliette
justine karine kevin laetitia laura laure laurence laurent lea leo leon
liliane lina louis louise luc lucas lucie lucien lydie madeleine manon
marc marcel marguerite marie marine marion martine mathieu mathilde
maurice maxime melanie michel michele mireille monique morgane muriel
nadine nathalie nicolas nicole noah noel oceane odette olivier pascal
pascale patrice patricia patrick paul paulette philippe pierre raphael
raymond regis remi renee richard robert roger romain rose sabine sacha
samuel sandrine sarah sebastien serge simone solange sophie stephane
stephanie suzanne sylvain sylvie theo thierry thomas timothee valerie
veronique victor vincent virginie xavier yann yves yvette yvonne zoe
""".split())
#: Words that make a value a place, a facility or an organisation.
_PLACE_WORDS = frozenset("""
aeroport agence aire allee association av avenue bassin bd bibliotheque
boulevard bureau caserne centre chapelle chateau chemin cimetiere cinema
clinique club college commune complexe conservatoire creche domaine ecole
eglise ehpad espace etang foyer gare gendarmerie groupe gymnase halle
hopital hotel impasse institut jardin lac lycee mairie maison marche
mediatheque musee office parc parking passage piscine place plage pont
port prefecture quai residence riviere route rue salle square stade
station theatre tour traverse universite village ville zone
""".split())
_NAME_VALUE_WORD = re.compile(r"[^\W\d_]+(?:['\-][^\W\d_]+)*")


def _plain(word: str) -> str:
    text = unicodedata.normalize("NFKD", word)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def looks_like_a_persons_name(value: str) -> bool:
    """A first name and one or two other words, none of them a place or
    facility word: « DUPONT Jean », « Marie-Claire Martin »."""
    words = value.split()
    if not 2 <= len(words) <= 3:
        return False
    if not all(_NAME_VALUE_WORD.fullmatch(w) for w in words):
        return False
    plain = [_plain(w) for w in words]
    if any(p in _PLACE_WORDS for p in plain):
        return False
    firsts = [p for p in plain
              if p in _FIRST_NAMES or p.split("-")[0] in _FIRST_NAMES]
    return 0 < len(firsts) < len(words)


def nom_is_personal(sample: Collection[str]) -> bool:
    """Whether the sampled values of an ambiguous ``nom`` column are
    people's names: at least two, and at least half of them."""
    hits = sum(1 for value in sample if looks_like_a_persons_name(value))
    return hits >= 2 and 2 * hits >= len(sample)


def is_ambiguous_name_column(name: str) -> bool:
    """``nom``, ``NOM``, ``Noms``: may be people or places."""
    return _name_key(name) in _AMBIGUOUS_KEYS


def personal_column_kind(name: str) -> Optional[str]:
    """The kind of personal data a column name announces: ``family_name``,
    ``full_name``, ``first_name``, ``birth_date``, ``birth_place`` or
    None. The name must be made only of such words (and filler words, and
    a trailing number): ``nom`` is a family name, ``nomBeneficiaire`` or
    ``nom_commune`` are not."""
    key = _name_key(name)
    return _NAME_KINDS.get(key) if key else None


# ---------------------------------------------------------------- check

class PersonalDataCheck(Check):
    """Flag the personal data of a table, column by column.

    ``standard_columns``: the columns the file's data standard (Table
    Schema) defines; findings there are warnings, elsewhere errors.

    Rows are scanned by batches of ``BATCH_ROWS`` (a copy of each is kept
    until then); ``result`` scans the last one.
    """

    name = "personal_data"

    def __init__(self, standard_columns: Collection[str] = ()) -> None:
        self.standard_columns = frozenset(standard_columns)
        self._labels: list[str] = []
        # (column index, kind, counter of the column's non-empty cells)
        self._name_columns: list[tuple[int, str, Counter]] = []
        # ambiguous columns without evidence: their first values
        self._pending: dict[int, list[str]] = {}
        self._values: dict[tuple[int, str], Counter] = {}
        #: Characters read to find the columns of the matches (cost tests).
        self.scanned = 0
        # The batch: row numbers, cells, and the cells joined (UTF-8).
        self._numbers: list[int] = []
        self._cells: list[tuple[str, ...]] = []
        self._rows: list[bytes] = []

    def header(self, names: list[str]) -> None:
        self._labels = [self._label(index, name)
                        for index, name in enumerate(names)]
        kinds = [personal_column_kind(name) for name in names]
        ambiguous = {index for index, name in enumerate(names)
                     if is_ambiguous_name_column(name)}
        evidence = any(kind is not None and index not in ambiguous
                       for index, kind in enumerate(kinds))
        # Without evidence, an ambiguous column waits for its values.
        self._pending = {} if evidence else {index: [] for index in ambiguous}
        family = any(kind in (FAMILY_NAME, FULL_NAME)
                     and (evidence or index not in ambiguous)
                     for index, kind in enumerate(kinds))
        self._name_columns = [
            (index, kind, Counter()) for index, kind in enumerate(kinds)
            if kind is not None and (kind != FIRST_NAME or family)]

    @staticmethod
    def _label(index: int, name: str) -> str:
        name = name.lstrip("\ufeff")
        if value_kinds(name):
            # A data row read as the header: never echo it.
            return f"#{index + 1}"
        return name

    def row(self, number: int, cells: list[str]) -> None:
        size = len(cells)
        for index, _, counter in self._name_columns:
            if index >= size:
                break  # in column order: the row is shorter
            value = cells[index].strip()
            if value:
                counter.add(number)
                sample = self._pending.get(index)
                if sample is not None and len(sample) < NAME_SAMPLE:
                    sample.append(value)
        self._rows.append(_JOIN.join(cells).encode("utf-8", "surrogatepass"))
        self._cells.append(tuple(cells))
        self._numbers.append(number)
        if len(self._numbers) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        """Run the detectors on the rows of the batch."""
        numbers, batch, rows = self._numbers, self._cells, self._rows
        if not numbers:
            return
        self._numbers, self._cells, self._rows = [], [], []
        for i, kinds in _candidate_rows(rows).items():
            cells = batch[i]
            text = _JOIN.join(cells)
            if text.count(_JOIN) == len(cells) - 1:
                found = self._locate(text, _hits(text, kinds))
            else:
                # A cell holds the separator: offsets would give the
                # wrong column.
                found = {(index, kind) for index, cell in enumerate(cells)
                         for _, kind in _hits(cell, kinds)}
            for index, kind in sorted(found):
                self._add(index, kind, numbers[i])

    def _locate(self, text: str, hits: list[tuple[int, str]]
                ) -> set[tuple[int, str]]:
        """The (column index, kind) of each match of a row's ``text``
        (cells joined with ``_JOIN``, which no cell holds): one walk along
        the text, counting the separators between a match and the next."""
        found = set()
        column = at = 0
        for start, kind in sorted(hits):
            column += text.count(_JOIN, at, start)
            self.scanned += start - at
            at = start
            found.add((column, kind))
        return found

    def _add(self, index: int, kind: str, number: int) -> None:
        counter = self._values.get((index, kind))
        if counter is None:
            counter = self._values[index, kind] = Counter()
        counter.add(number)

    def _column(self, index: int) -> str:
        if index < len(self._labels):
            return self._labels[index]
        return f"#{index + 1}"

    def _severity(self, index: int) -> str:
        if index < len(self._labels):
            label = self._labels[index]
            if (label in self.standard_columns
                    or label.strip() in self.standard_columns):
                return "warning"
        return "error"

    def _findings(self) -> Iterator[tuple[tuple[int, int], Finding]]:
        for index, kind, counter in self._name_columns:
            sample = self._pending.get(index)
            if sample is not None and not nom_is_personal(sample):
                continue  # a place, a school, a facility...
            yield (index, -1), counter.finding(
                COLUMN_NAME, self._severity(index),
                column=self._column(index), kind=kind)
        for (index, kind), counter in self._values.items():
            yield (index, VALUE_KINDS.index(kind)), counter.finding(
                kind, self._severity(index), column=self._column(index))

    def result(self) -> Result:
        self._flush()
        findings = [f for _, f in sorted(self._findings(),
                                         key=lambda item: item[0])]
        return {"check": self.name, "status": status_of(findings),
                "findings": findings}
