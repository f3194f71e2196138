"""Identifier validators: USCC (GB 32100-2015) and resident ID numbers (GB 11643-1999)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECKS = "10X98765432"


def uscc_check_char(body: str) -> str:
    """The check character for the first 17 characters of a USCC."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> str:
    """Return the USCC upper-cased, or raise ValueError saying what is wrong with it."""
    code = value.strip().upper()
    if not code.isascii():
        raise ValueError("a USCC is written in ASCII (no full-width characters)")
    if len(code) != 18:
        raise ValueError(f"a USCC has 18 characters, this one has {len(code)}")
    bad = sorted({c for c in code if c not in USCC_CHARSET})
    if bad:
        raise ValueError(f"a USCC may not contain {''.join(bad)!r}")
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        raise ValueError(f"USCC check character is {code[17]!r}, expected {expected!r}")
    return code


def id_check_char(body: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number."""
    total = sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True))
    return _ID_CHECKS[total % 11]


def validate_id_number(value: str) -> str:
    """Return the resident ID number upper-cased, or raise ValueError saying why not."""
    number = value.strip().upper()
    if len(number) != 18:
        raise ValueError(f"a resident ID number has 18 characters, this one has {len(number)}")
    if not number.isascii():
        raise ValueError("a resident ID number is written in ASCII (no full-width characters)")
    if not number[:17].isdigit():
        raise ValueError("the first 17 characters of a resident ID number are digits")
    birth_date_of(number)
    expected = id_check_char(number[:17])
    if number[17] != expected:
        raise ValueError(f"ID number check character is {number[17]!r}, expected {expected!r}")
    return number


def birth_date_of(id_number: str) -> dt.date:
    """The birth date encoded in an ID number; ValueError when it is not a real date."""
    try:
        return dt.datetime.strptime(id_number[6:14], "%Y%m%d").date()
    except ValueError:
        raise ValueError("the ID number does not encode a real birth date") from None


def mask_id_number(id_number: str) -> str:
    """Keep the region (6) and the last 4 characters of an 18-character number, as
    Chinese government sites do; anything shorter is masked whole (its first 6 and last
    4 would be most or all of it)."""
    if len(id_number) < 18:
        return "*" * len(id_number)
    return id_number[:6] + "*" * (len(id_number) - 10) + id_number[-4:]


def mask_name(name: str) -> str:
    """Keep the first character of each word: 'Chen Yu' -> 'C*** Y*'."""
    return " ".join(w[:1] + "*" * max(len(w) - 1, 1) for w in name.split())


def mask_account(account_no: str) -> str:
    """Keep the last four digits of a bank account."""
    return "*" * max(len(account_no) - 4, 0) + account_no[-4:]


Uscc = Annotated[str, AfterValidator(validate_uscc)]
IdNumber = Annotated[str, AfterValidator(validate_id_number)]
