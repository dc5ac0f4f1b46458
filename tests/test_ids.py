"""National ID numbers: GB 11643 validation, masking and synthetic generation."""

import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cadre_lib import InvalidEntry, mask_national_id, validate_national_id
from cadre_lib.core.ids import check_character, synthetic_national_id, validate_national_ids

VALID = "11010519491231002X"  # the standard's worked example


def test_the_standards_example_is_valid_and_lower_case_x_is_accepted():
    assert validate_national_id(VALID.lower()) == (VALID, dt.date(1949, 12, 31), "F")


@pytest.mark.parametrize(
    "bad, reason",
    [
        ("11010519491231002", "18 characters"),
        ("1101051949123100AX", "17 digits"),
        ("110105194913310028", "not a real date"),
        ("110105194912310021", "check character"),
    ],
)
def test_bad_numbers_are_refused_with_the_reason_and_without_echoing_the_number(bad, reason):
    with pytest.raises(InvalidEntry, match=reason) as info:
        validate_national_id(bad)
    assert bad not in str(info.value)


def test_mask_keeps_region_and_last_two_only():
    assert mask_national_id(VALID) == "110105**********2X"
    assert mask_national_id(None) is None


def test_synthetic_numbers_validate_and_carry_birth_date_and_sex():
    rng = random.Random(1)
    for sex in "MF":
        nid = synthetic_national_id(rng, dt.date(1988, 2, 29), sex)
        assert nid.startswith("99")
        assert validate_national_id(nid)[1:] == (dt.date(1988, 2, 29), sex)
        assert check_character(nid[:17]) == nid[17]


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("旧证号ID990404198001015793", "旧证号ID990404**********93"),
        ("990404198001015793号", "990404**********93号"),
        ("x11010519491231002xy", "x110105**********2xy"),
        ("110105194912310021", "110105**********21"),  # a wrong check character is still an ID
        (
            "A１１０１０５１９４９１２３１００２Ｘ",
            "A１１０１０５**********２Ｘ",
        ),  # full-width, as some IMEs type
        ("电话 13900001111，编号 12345678901234567890", "电话 13900001111，编号 12345678901234567890"),
    ],
)
def test_anything_that_reads_as_an_id_is_masked_whatever_surrounds_it(typed, shown):
    from cadre_lib.core.ids import contains_id, scrub_ids

    assert scrub_ids(typed) == shown
    assert not contains_id(scrub_ids(typed))


def _one_at_a_time(text):
    try:
        return validate_national_id(text)
    except InvalidEntry:
        return None


id_like = st.one_of(
    st.text(alphabet="0123456789Xx", min_size=16, max_size=19),
    st.builds(
        lambda birth, sex, seed: synthetic_national_id(random.Random(seed), birth, sex),
        st.dates(min_value=dt.date(1000, 1, 1)),
        st.sampled_from("MF"),
        st.integers(0, 1000),
    ),
    st.builds(
        lambda digits: digits + check_character(digits),
        st.text(alphabet="0123456789", min_size=17, max_size=17),
    ),
    st.text(max_size=20),
)


@given(st.lists(id_like, max_size=30))
@settings(max_examples=300, deadline=None)
def test_checking_a_column_of_numbers_agrees_with_checking_each(texts):
    # the column check vouches only for valid numbers, and for each gives what the one-by-one check gives
    for text, checked in zip(texts, validate_national_ids(texts), strict=True):
        assert checked is None or checked == _one_at_a_time(text)
        if checked is None and text.isascii() and text == text.strip():
            assert _one_at_a_time(text) is None
