import datetime as dt
import re

import pytest
from pydantic import BaseModel, ValidationError

from qinqing_shared.ids import (
    IdNumber,
    Uscc,
    birth_date_of,
    id_check_char,
    mask_account,
    mask_id_number,
    mask_name,
    uscc_check_char,
    validate_id_number,
    validate_uscc,
)

GOLDEN_USCCS = [
    "91330106MA2H00014Q",
    "91330108MA2H00022G",
    "91330110MA2H000307",
    "91330102MA2H00049H",
    "91330105MA2H00057P",
    "91330109MA2H00065C",
]
GOLDEN_IDS = ["330106199904120111", "33011019980820052X", "330105199402280741"]


@pytest.mark.parametrize("code", GOLDEN_USCCS)
def test_golden_usccs_are_valid(code: str) -> None:
    assert validate_uscc(code.lower()) == code


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91330106MA2H00014X", "check character is 'X', expected 'Q'"),
        ("91330106MA2H0001", "18 characters, this one has 16"),
        ("91330106MA2H0001IQ", "may not contain 'I'"),
    ],
)
def test_bad_usccs_say_what_is_wrong(code: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_uscc(code)


@pytest.mark.parametrize("number", GOLDEN_IDS)
def test_golden_id_numbers_are_valid(number: str) -> None:
    assert validate_id_number(number.lower()) == number


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("330106199904120112", "check character is '2', expected '1'"),
        ("33010619990412011", "18 characters"),
        ("330106199902300111", "real birth date"),
        ("3301061999A4120111", "digits"),
    ],
)
def test_bad_id_numbers_say_what_is_wrong(number: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_id_number(number)


def test_annotated_types_refuse_bad_input() -> None:
    class Body(BaseModel):
        uscc: Uscc
        person: IdNumber

    with pytest.raises(ValidationError):
        Body(uscc="91330106MA2H00014X", person=GOLDEN_IDS[0])
    assert Body(uscc=GOLDEN_USCCS[0], person=GOLDEN_IDS[1]).person == GOLDEN_IDS[1]


def test_masking_keeps_only_what_identifies_nobody() -> None:
    assert mask_id_number("330106199904120111") == "330106********0111"
    assert mask_name("Chen Yu") == "C*** Y*"


def test_full_width_digits_are_refused() -> None:
    # "３３０１０６１９９９０４１２０１１１": the golden number in full-width digits, which
    # str.isdigit() accepts and a database would store as another person.
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "33010619990412011") + "1"
    with pytest.raises(ValueError, match="ASCII"):
        validate_id_number(full_width)
    with pytest.raises(ValueError, match="ASCII"):
        validate_uscc("".join(chr(ord(c) + 0xFEE0) for c in "91330106") + "MA2H00014Q")


def exactly(message: str) -> str:
    """A ``match`` pattern for this message and nothing around it."""
    return f"^{re.escape(message)}$"


# Examples from outside the project, with check characters no code of ours computed:
# the resident ID number and the USCC that issue 17 quotes as public examples.
PUBLIC_ID = "11010519491231002X"
PUBLIC_USCC = "91350100M000100Y43"


def test_public_examples_are_valid_with_their_own_check_characters() -> None:
    assert validate_id_number(PUBLIC_ID.lower()) == PUBLIC_ID
    assert id_check_char(PUBLIC_ID[:17]) == "X"
    assert validate_uscc(PUBLIC_USCC) == PUBLIC_USCC
    assert uscc_check_char(PUBLIC_USCC[:17]) == "3"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("110105194912310021", "ID number check character is '1', expected 'X'"),
        ("11010519491231002Y", "ID number check character is 'Y', expected 'X'"),
        ("110105194902300021", "the ID number does not encode a real birth date"),
        ("11010519491331002X", "the ID number does not encode a real birth date"),
        (" 11010519491231002X1", "a resident ID number has 18 characters, this one has 19"),
        ("1101051949123100X2X", "a resident ID number has 18 characters, this one has 19"),
        ("11010519491231002", "a resident ID number has 18 characters, this one has 17"),
        ("1101051949123100XX", "the first 17 characters of a resident ID number are digits"),
    ],
)
def test_published_invalid_id_numbers_are_refused_saying_why(number: str, message: str) -> None:
    with pytest.raises(ValueError, match=exactly(message)):
        validate_id_number(number)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y44", "USCC check character is '4', expected '3'"),
        ("91350100M000100Y4", "a USCC has 18 characters, this one has 17"),
        ("91350100M000100Y4O", "a USCC may not contain 'O'"),
        ("91350100M0001S0Z43", "a USCC may not contain 'SZ'"),
    ],
)
def test_published_invalid_usccs_are_refused_saying_why(code: str, message: str) -> None:
    with pytest.raises(ValueError, match=exactly(message)):
        validate_uscc(code)


def test_surrounding_spaces_are_trimmed() -> None:
    assert validate_uscc(f"  {PUBLIC_USCC.lower()} ") == PUBLIC_USCC
    assert validate_id_number(f" {PUBLIC_ID} ") == PUBLIC_ID


def test_the_birth_date_is_read_from_positions_7_to_14() -> None:
    assert birth_date_of(PUBLIC_ID) == dt.date(1949, 12, 31)


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        (PUBLIC_ID, "110105********002X"),
        ("1101051949", "**********"),  # 6 + 4 would show all of it
        ("11010519491231002", "*****************"),  # malformed: nothing shown
        ("", ""),
    ],
)
def test_an_id_number_keeps_only_its_region_and_last_4(number: str, masked: str) -> None:
    assert mask_id_number(number) == masked


def test_names_and_accounts_keep_only_what_identifies_nobody() -> None:
    assert mask_name("陈雨") == "陈*"
    assert mask_name("Li") == "L*"
    assert mask_name("Y") == "Y*"  # one character: a star all the same, the length hidden
    assert mask_account("6222020200112233") == "************2233"
    assert mask_account("2233") == "2233"


def test_full_width_characters_are_refused_in_words() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in PUBLIC_ID[:17]) + "X"
    ascii_only = "a resident ID number is written in ASCII (no full-width characters)"
    with pytest.raises(ValueError, match=exactly(ascii_only)):
        validate_id_number(full_width)
    ascii_only = "a USCC is written in ASCII (no full-width characters)"
    with pytest.raises(ValueError, match=exactly(ascii_only)):
        validate_uscc("９" + PUBLIC_USCC[1:])


def test_a_check_character_is_computed_from_exactly_17_characters() -> None:
    with pytest.raises(ValueError, match="argument 2 is longer than argument 1"):
        id_check_char(PUBLIC_ID[:16])
    with pytest.raises(ValueError, match="argument 2 is longer than argument 1"):
        uscc_check_char(PUBLIC_USCC[:16])


def test_a_uscc_whose_weighted_sum_is_a_multiple_of_31_checks_with_0() -> None:
    assert uscc_check_char("91330106MA2H00026") == "0"
    assert validate_uscc("91330106MA2H000260") == "91330106MA2H000260"
