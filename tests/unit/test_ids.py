import pytest
from pydantic import BaseModel, ValidationError

from qinqing_shared.ids import (
    IdNumber,
    Uscc,
    mask_id_number,
    mask_name,
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
