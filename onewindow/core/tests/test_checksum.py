import itertools

import pytest

from onewindow.core.checksum import ALPHABET, check_character, is_valid


@pytest.mark.parametrize("body", ["DEMO202611220000001", "A", "110105", "ZZZZ9"])
def test_valid_code_passes(body):
    assert is_valid(body + check_character(body))


def test_every_single_substitution_is_caught():
    body = "DEMO2026112200042"
    code = body + check_character(body)
    for i, wrong in itertools.product(range(len(code)), ALPHABET):
        if wrong != code[i]:
            assert not is_valid(code[:i] + wrong + code[i + 1 :]), (i, wrong)


def test_every_adjacent_swap_is_caught():
    body = "DEMO2026112200042"
    code = body + check_character(body)
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
            assert not is_valid(swapped), i


def test_rejects_non_alphanumeric_and_short():
    assert not is_valid("")
    assert not is_valid("A")
    assert not is_valid("DEMO-1")
