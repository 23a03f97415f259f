"""统一社会信用代码 (GB 32100-2015) and 网站标识码 (spec §5.1) validation."""

import pytest
from django.core.exceptions import ValidationError

from zwgk.core.codes import (
    credit_code_check_char,
    is_valid_credit_code,
    validate_credit_code,
    validate_site_code,
)

# Real codes quoted in spec §7.4 (索引号 examples) — all must pass the GB 32100 check.
REAL_CODES = ["11441700007280420Y", "11620622013933539B", "113708280043326001", "11341702486344515H"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_from_spec_pass(code):
    assert is_valid_credit_code(code)
    validate_credit_code(code)


def test_wrong_check_character_is_rejected_with_the_expected_one():
    code = "11441700007280420X"
    assert not is_valid_credit_code(code)
    with pytest.raises(ValidationError) as e:
        validate_credit_code(code)
    assert "第18位应为“Y”" in e.value.messages[0]


@pytest.mark.parametrize(
    "code, fragment",
    [
        ("1144170000728042", "18位"),
        ("11441700007280420YY", "18位"),
        ("1144170000728042OY", "不允许的字符"),  # letter O is not in the GB 32100 charset
        ("11A41700007280420Y", "不允许的字符"),  # 区划码 positions 3–8 are digits
    ],
)
def test_malformed_codes(code, fragment):
    with pytest.raises(ValidationError) as e:
        validate_credit_code(code)
    assert fragment in e.value.messages[0]


def test_check_char_round_trip():
    assert credit_code_check_char("11441700007280420") == "Y"


@pytest.mark.parametrize("code", ["1304000009", "bm07000001", ""])
def test_site_codes_ok(code):
    validate_site_code(code)


@pytest.mark.parametrize("code", ["130400000", "BM07000001", "bm0700000x", "13040000091"])
def test_site_codes_bad(code):
    with pytest.raises(ValidationError):
        validate_site_code(code)
