"""Default rules for national and financial identifiers beyond US SSNs and payment cards.

Each format with a check is validated (IBAN mod-97, Canadian SIN Luhn, Spanish DNI/NIE check
letter, UK NINO prefix rules, US ITIN group ranges), so order numbers and hashes of the same
shape stay. Values that are ambiguous alone (passport numbers, dates of birth, nine bare digits)
count only right after a keyword naming them.

Hints are chosen for the one-pass prefilter: IBANs and ITINs share the digit-shape hints the
card and SSN rules already scan for, NIEs and ``birth`` hold a rare letter, ``passport`` rides
on ``pass``. The remaining keywords share scans by first letter with other hints
(``sin``/``social`` with ``ssn``/``secret``, ``dni`` with ``dob``, ``nino`` with ``national``).
"""

from __future__ import annotations

import re

from logai.sanitize.rule import Rule
from logai.sanitize.rules.pii import PII_PRIORITY
from logai.sanitize.validators import is_placeholder_value, luhn_valid

__all__ = ["iban_valid", "identifier_rules"]

#: IBAN length per country (ISO 13616 registry, SEPA and common non-SEPA countries).
_IBAN_LENGTH = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20,
    "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18,
    "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
    "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24,
    "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24, "SE": 24, "SI": 19,
    "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip


def iban_valid(value: str) -> bool:
    """Whether ``value`` (spaces allowed) is an IBAN: known country, its length, mod-97 == 1."""
    compact = value.replace(" ", "").upper()
    if _IBAN_LENGTH.get(compact[:2]) != len(compact) or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1


_IBAN = r"""(?x)
    (?<![A-Za-z0-9])
    [A-Z]{2}[0-9]{2}
    (?:(?:[ ][A-Z0-9]{4}){2,7}(?:[ ][0-9]{1,3})?|[A-Z0-9]{11,30})
    (?![A-Za-z0-9])
"""


def _iban_ok(match: re.Match[str]) -> bool:
    return iban_valid(match.group())


#: ``9XX-7X-XXXX``: area 9, group 50-65, 70-88, 90-92 or 94-99 (SSNs never start with 9).
_ITIN = r"""(?x)
    (?<![0-9A-Za-z_.,/+-])9[0-9]{2}(?P<sep>[- ])
    (?:5[0-9]|6[0-5]|7[0-9]|8[0-8]|9[0-2]|9[4-9])(?P=sep)[0-9]{4}
    (?![0-9A-Za-z_]|[.,-][0-9])
"""

_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def dni_letter_valid(number: str, letter: str) -> bool:
    """Whether ``letter`` is the check letter of a DNI, or of a NIE (X/Y/Z first) number."""
    digits = number.upper().replace("X", "0").replace("Y", "1").replace("Z", "2")
    return digits.isdigit() and _DNI_LETTERS[int(digits) % 23] == letter.upper()


_NIE = r"""(?x)
    (?<![A-Za-z0-9])(?P<number>[XYZxyz][0-9]{7})[- ]?(?P<letter>[A-Za-z])(?![A-Za-z0-9])
"""
#: DNI: eight digits and the check letter, after the keyword (eight digits are common).
_DNI = r"""(?x)
    (?<![A-Za-z0-9])(?:[Dd][Nn][Ii]|[Nn][Ii][Ff])[A-Za-z_]{0,10}["']?[ \t]*[:=#]?[ \t]*["']?
    (?P<value>(?P<number>[0-9]{8}|[XYZxyz][0-9]{7})[- ]?(?P<letter>[A-Za-z]))(?![A-Za-z0-9])
"""


def _dni_ok(match: re.Match[str]) -> bool:
    return dni_letter_valid(match.group("number"), match.group("letter"))


#: UK National Insurance number after a keyword: two prefix letters (not D, F, I, Q, U, V; the
#: second not O; not BG, GB, KN, NK, NT, TN, ZZ), six digits, suffix A-D.
_NINO = r"""(?x)
    (?<![A-Za-z0-9])
    (?:[Nn][Ii][Nn][Oo]
      |[Nn]ational[ _-]?[Ii]nsurance(?:[ _-]?(?:[Nn]umber|[Nn]o))?
      |[Nn][Ii][ _-]?(?:[Nn]umber|[Nn]o))
    [A-Za-z_]{0,10}["']?[ \t]*[:=#]?[ \t]*["']?
    (?P<value>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][ ]?[0-9]{2}[ ]?[0-9]{2}[ ]?[0-9]{2}[ ]?[A-D])
    (?![A-Za-z0-9])
"""
_NINO_NEVER = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


def _nino_ok(match: re.Match[str]) -> bool:
    return match.group("value")[:2].upper() not in _NINO_NEVER


#: Canadian Social Insurance Number after a keyword; Luhn-checked, never starts with 0 or 8.
_SIN = r"""(?x)
    (?<![A-Za-z0-9])
    (?:[Ss][Ii][Nn]|[Ss]ocial[ _-]?[Ii]nsurance(?:[ _-]?(?:[Nn]umber|[Nn]o))?)
    (?:[ _-]?(?:[Nn]umber|[Nn]o|[Nn]br))?["']?[ \t]*[:=#]?[ \t]*["']?
    (?P<value>[1-79][0-9]{2}(?P<sep>[- ]?)[0-9]{3}(?P=sep)[0-9]{3})
    (?![0-9A-Za-z_]|[.,-][0-9])
"""


def _sin_ok(match: re.Match[str]) -> bool:
    return luhn_valid(match.group("value").replace(" ", "").replace("-", ""))


#: A passport number after ``passport`` (``passport_no``, ``passportNumber``, ``Passport #``).
_PASSPORT = r"""(?x)
    (?<![A-Za-z0-9])[Pp]assport[A-Za-z_ .-]{0,12}?["']?[ \t]*[:=#]{1,2}[ \t]*["']?
    (?P<value>[A-Za-z0-9]{6,9})(?![A-Za-z0-9])
"""


def _passport_ok(match: re.Match[str]) -> bool:
    value = match.group("value")
    return any(c.isdigit() for c in value) and not is_placeholder_value(value)


_DATE = r"""(?:
    (?:19|20)[0-9]{2}(?P<s1>[-/.])(?:0?[1-9]|1[0-2])(?P=s1)(?:0?[1-9]|[12][0-9]|3[01])
  | (?:0?[1-9]|[12][0-9]|3[01])(?P<s2>[-/.])(?:0?[1-9]|1[0-2])(?P=s2)(?:19|20)[0-9]{2}
  | (?:0?[1-9]|1[0-2])(?P<s3>[-/.])(?:0?[1-9]|[12][0-9]|3[01])(?P=s3)(?:19|20)[0-9]{2}
  | (?:0?[1-9]|[12][0-9]|3[01])[ ](?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*
    [ ](?:19|20)[0-9]{2}
)"""
#: A date right after ``dob``, ``date_of_birth``, ``birthDate``, ``birthday``, ``born``...
_DOB = rf"""(?x)
    (?<![A-Za-z0-9])
    (?:[Dd][Oo][Bb]|[Dd]ate[ _-]?[Oo]f[ _-]?[Bb]irth|[Bb]irth[ _-]?(?:[Dd]ate|[Dd]ay)?)
    [A-Za-z_]{{0,6}}["']?[ \t]*[:=#]?[ \t]*["']?
    (?P<value>{_DATE})(?![0-9])
"""


def identifier_rules() -> list[Rule]:
    """The national and financial identifier rules of the default pack."""
    upper_alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 "
    return [
        Rule(
            name="iban",
            kind="IBAN",
            pattern=_IBAN,
            validator=_iban_ok,
            description=(
                "IBANs, compact or in groups of four, with a known country, its length and "
                "a valid mod-97 checksum."
            ),
            # compact IBANs whose bank code has letters (NL91ABNA0417164300: ten digits
            # after it) are found by their country and check digits
            hints=("0000000000000", "000 0000", "nl00", "qa00", "kw00", "jo00"),
            reach=16,
            reach_chars=upper_alnum,
            priority=PII_PRIORITY + 1,
            example='{"event":"payout","iban":"DE89 3704 0044 0532 0130 00","amount":120}',
        ),
        Rule(
            name="us_itin",
            kind="ITIN",
            pattern=_ITIN,
            description=(
                "US Individual Taxpayer Identification Numbers: 9XX-7X-XXXX, group 50-65, "
                "70-88, 90-92 or 94-99."
            ),
            hints=("000 00 0000",),
            reach=0,
            priority=PII_PRIORITY,
            example="tax_id=912-78-1234 form=W-7",
        ),
        Rule(
            name="es_nie",
            kind="NATIONAL_ID",
            pattern=_NIE,
            validator=_dni_ok,
            description="Spanish foreigner numbers (NIE): X/Y/Z, seven digits, check letter.",
            hints=tuple(f"{c}{sep}0000000" for c in "xyz" for sep in ("", " ")),
            reach=0,
            priority=PII_PRIORITY,
            example="alta cliente nie=X1234567L provincia=28",
        ),
        Rule(
            name="es_dni",
            kind="NATIONAL_ID",
            pattern=_DNI,
            validator=_dni_ok,
            group="value",
            description="Spanish DNI after dni or nif: eight digits and the check letter.",
            hints=("dni", "nif"),
            reach=0,
            priority=PII_PRIORITY,
            example='{"dni":"12345678Z","estado":"verificado"}',
        ),
        Rule(
            name="uk_nino",
            kind="NATIONAL_ID",
            pattern=_NINO,
            validator=_nino_ok,
            group="value",
            description=(
                "UK National Insurance numbers after nino, NI number or National Insurance "
                "(AB 12 34 56 C, AB123456C)."
            ),
            # all share one scan for "n" (see the prefilter)
            hints=("nino", "national", "ni number", "ni_number", "ninumber", "ni no", "ni_no"),
            reach=0,
            priority=PII_PRIORITY,
            example="payroll: employee 4411 nino=AB123456C tax_code=1257L",
        ),
        Rule(
            name="ca_sin",
            kind="NATIONAL_ID",
            pattern=_SIN,
            validator=_sin_ok,
            group="value",
            description=(
                "Canadian Social Insurance Numbers after SIN or Social Insurance, Luhn-checked."
            ),
            # "sin" and "social" share the scan for "s" with "ssn" and "secret"
            hints=("sin", "social"),
            reach=0,
            priority=PII_PRIORITY,
            example="onboarding: SIN 130 692 544 verified",
        ),
        Rule(
            name="passport_number",
            kind="PASSPORT",
            pattern=_PASSPORT,
            validator=_passport_ok,
            group="value",
            description="Passport numbers after passport (passport_no=, passportNumber:...).",
            hints=("pass",),
            reach=0,
            priority=PII_PRIORITY,
            example='{"passport_number":"K7Y5R2Q8M","nationality":"GB"}',
        ),
        Rule(
            name="date_of_birth",
            kind="DATE_OF_BIRTH",
            pattern=_DOB,
            group="value",
            description=(
                "Dates after dob, date_of_birth, birthDate, birthday (ISO, day-first, "
                "month-first and 3 Jan 1990 forms)."
            ),
            # "date of birth" and "date_of_birth" hold "birth " and "birth_": no scan of theirs
            hints=(
                "dob",
                "birth_",
                "birthd",
                "birth ",
                'birth"',
                "birth=",
                "birth:",
                "birth'",
            ),
            reach=0,
            priority=PII_PRIORITY,
            example="kyc ok user=8812 dob=1990-04-17 country=CA",
        ),
    ]
