import random

import pytest

from intake.tracking import damm_check_digit, generate_tracking_code, is_valid_tracking_code

# Known answers, computed once outside this code base from the published Damm table
# (H. M. Damm, 2004; the order-10 quasigroup whose first row is 0 3 1 7 5 9 8 6 4 2)
# and written here as literals: the code's own function must agree with them, so a
# changed table or a different check-digit scheme fails here. Among them the Luhn
# blind spots (09 <-> 90 at the check digit, long runs of one digit) and the seed's
# example payload (its printed example, ...2846, is not a Damm code: the last digit differs).
KNOWN_VALID_CODES = [
    "4221980841122848",
    "1000000000000002",
    "9999999999999990",
    "1234567890123450",
    "9090909090909098",
    "5432109876543211",
    "7000000000000070",
    "3141592653589795",
]


def test_codes_are_16_digits_first_not_zero_and_check_out():
    for _ in range(500):
        code = generate_tracking_code()
        assert len(code) == 16 and code.isascii() and code.isdigit()
        assert code[0] != "0"
        assert is_valid_tracking_code(code)


def test_the_seed_example_shape():
    payload = "422198084112284"
    assert is_valid_tracking_code(payload + damm_check_digit(payload))


def sample_codes(count=200):
    rng = random.Random(1405)
    codes = []
    for _ in range(count):
        payload = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(14))
        codes.append(payload + damm_check_digit(payload))
    return codes


def test_every_single_digit_change_is_caught():
    for code in sample_codes():
        for position in range(16):
            for digit in "0123456789":
                if digit != code[position]:
                    changed = code[:position] + digit + code[position + 1 :]
                    assert not is_valid_tracking_code(changed), (code, changed)


def test_every_neighbour_swap_is_caught():
    for code in sample_codes():
        for position in range(15):
            a, b = code[position], code[position + 1]
            if a != b:
                swapped = code[:position] + b + a + code[position + 2 :]
                assert not is_valid_tracking_code(swapped), (code, swapped)


def test_non_codes_are_refused():
    assert not is_valid_tracking_code("")
    assert not is_valid_tracking_code("۴۲۲۱۹۸۰۸۴۱۱۲۲۸۴۶")
    assert not is_valid_tracking_code("0" * 16)
    assert not is_valid_tracking_code(None)


def test_the_published_damm_example():
    # Wikipedia's worked example of the Damm algorithm: 572 gets the check digit 4.
    assert damm_check_digit("572") == "4"
    assert damm_check_digit("5724") == "0"


@pytest.mark.parametrize("code", KNOWN_VALID_CODES)
def test_known_codes_stay_valid(code):
    assert is_valid_tracking_code(code)
    assert damm_check_digit(code[:15]) == code[15]


def single_digit_changes(code):
    for position in range(len(code)):
        for digit in "0123456789":
            if digit != code[position]:
                yield code[:position] + digit + code[position + 1 :]


def neighbour_swaps(code):
    for position in range(len(code) - 1):
        a, b = code[position], code[position + 1]
        if a != b:
            yield code[:position] + b + a + code[position + 2 :]


@pytest.mark.parametrize("code", KNOWN_VALID_CODES)
def test_known_codes_every_single_digit_change_is_refused(code):
    changes = list(single_digit_changes(code))
    assert len(changes) == 16 * 9
    assert [changed for changed in changes if is_valid_tracking_code(changed)] == []


@pytest.mark.parametrize("code", KNOWN_VALID_CODES)
def test_known_codes_every_neighbour_swap_is_refused(code):
    # Damm's quasigroup is weakly totally anti-symmetric: no swap of two different
    # neighbouring digits keeps a code valid, the check digit included (Luhn would let
    # 09 <-> 90 through). So the set of swaps that slip through is exactly empty.
    swaps = list(neighbour_swaps(code))
    assert swaps
    assert [swapped for swapped in swaps if is_valid_tracking_code(swapped)] == []


def test_known_swap_and_change_examples():
    # A few neighbours written out, so a reader sees what the tests above mean.
    assert not is_valid_tracking_code("9999999999999909")  # 90 -> 09 at the end
    assert not is_valid_tracking_code("9900909090909098")  # 09 -> 90 near the start
    assert not is_valid_tracking_code("1000000000000020")  # 02 -> 20
    assert not is_valid_tracking_code("4221980841122849")  # check digit 8 -> 9
    assert not is_valid_tracking_code("4221980841122846")  # the seed's printed example
