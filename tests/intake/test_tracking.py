import random

from intake.tracking import damm_check_digit, generate_tracking_code, is_valid_tracking_code


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
