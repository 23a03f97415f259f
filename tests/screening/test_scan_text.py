"""scan_text: personal information, sensitive words, expressions and typos (issue #4, spec §9)."""

import pytest

from zwgk.screening import Finding, scan_text
from zwgk.screening.personal import id_check_digit, is_bank_card, is_id_number, mask

pytestmark = pytest.mark.django_db  # the lexicons live in the back office tables

ID = "350102199001011238"  # valid GB 11643 check digit
CARD = "6222020200001234562"  # Luhn-valid


def kinds(text):
    return [(f.kind, text[f.start : f.end]) for f in scan_text(text)]


def test_finding_positions_point_into_the_original_text():
    text = f"张三，身份证号{ID}，电话13812345678。"
    findings = scan_text(text)
    assert [f.kind for f in findings] == ["id_card", "mobile"]
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert isinstance(f, Finding)


def test_id_numbers_gb_11643():
    """Region prefix, real birth date, check digit: a number failing the check is not an ID."""
    assert id_check_digit(ID[:17]) == ID[17]
    assert is_id_number(ID) and is_id_number("11010519491231002X")
    assert not is_id_number(ID[:17] + "9")  # wrong check digit
    assert not is_id_number("990102199001011237")  # no province 99
    assert not is_id_number("350102199013011234")  # month 13
    assert is_id_number("350102900101123")  # old 15-digit ID
    assert kinds(f"身份证{ID[:17]}9号") == []


@pytest.mark.parametrize(
    "written",
    [
        ID,
        "３５０１０２１９９００１０１１２３８",
        "350102 19900101 1238",
        "3501-0219-9001-0112-38",
        "11010519491231002x",
    ],
)
def test_id_numbers_in_real_spellings(written):
    """Full-width digits, spaces and hyphens inside the number."""
    assert kinds(f"身份证号码：{written}。") == [("id_card", written)]


@pytest.mark.parametrize(
    "mobile", ["13812345678", "138-1234-5678", "138 1234 5678", "+86 13812345678", "１３８１２３４５６７８"]
)
def test_mobile_numbers(mobile):
    assert [k for k, _ in kinds(f"联系电话：{mobile}")] == ["mobile"]


def test_landline_email_passport_bank_card():
    found = kinds(
        f"电话（0797）6120001，邮箱zhangsan@163.com，护照E12345678，港澳通行证C12345678，卡号{CARD}。"
    )
    assert [k for k, _ in found] == ["landline", "email", "passport", "passport", "bank_card"]
    assert is_bank_card(CARD) and not is_bank_card(CARD[:-1] + "3")


@pytest.mark.parametrize(
    "official",
    [
        "统一社会信用代码：11441700007280420Y",
        "统一社会信用代码：113708280043326001",  # all digits, still not an ID
        "索引号：11441700007280420Y/2021-00050",
        "索引号：113417030032499282/202011-00140",
        "文号：国办公开办函〔2021〕30号",
        "政府网站标识码：1304000009",
        "京ICP备12345678号　京公网安备 11010502030143号",
        "成文日期：2024年3月15日，发布时间：2024-03-26 14:30",
        "项目总投资6222020200001234562元",
        "采购编号：350102199001011238",
        "邮政编码：341000",
    ],
)
def test_official_numbers_are_not_personal_data(official):
    """Precision: numbers published on purpose are never reported as personal information."""
    personal = {"id_card", "mobile", "landline", "bank_card", "email", "passport"}
    assert [k for k, _ in kinds(official) if k in personal] == []


def test_whitelisted_office_numbers_are_not_flagged():
    from zwgk.screening.models import WhitelistEntry

    text = "咨询电话：0797-6120001，手机13900001111"
    assert [k for k, _ in kinds(text)] == ["landline", "mobile"]
    WhitelistEntry.objects.create(value="（0797）612 0001", note="县政务公开办")
    WhitelistEntry.objects.create(value="139-0000-1111")
    assert kinds(text) == []


def test_sensitive_words_after_normalisation():
    """Full/half width, traditional characters and fillers inserted between characters. (网络赌博 is 提示
    in the starter lexicon: 严厉打击网络赌博 is the wording of government notices too.)"""
    for text in ("网络赌博", "網絡賭博", "网 络 赌 博", "网-络-赌-博", "網‧絡‧賭‧博"):
        findings = scan_text(f"严厉打击{text}活动")
        assert [(f.kind, f.severity, f.text) for f in findings] == [("sensitive_word", "提示", text)]


def test_lexicon_managed_in_back_office():
    from zwgk.screening.models import SensitiveWord

    assert kinds("某某神药包治百病") == []
    SensitiveWord.objects.create(word="包治百病", category="广告/SEO", severity="提示")
    assert kinds("某某神药包治百病") == [("sensitive_word", "包治百病")]


def test_expressions_typos_repeats_brackets():
    findings = scan_text("关于台湾总统的的表述要再接再励（见附件。文号：龙政办[2022]3号")
    got = [(f.kind, f.text, f.suggestion) for f in findings]
    assert ("expression", "台湾总统", "台湾地区领导人") in got
    assert ("typo", "的的", "的") in got
    assert ("typo", "再接再励", "再接再厉") in got
    assert ("typo", "（", "缺少与“（”配对的“）”") in got
    assert ("expression", "龙政办[2022]3号", "龙政办〔2022〕3号") in got


def test_correct_text_has_no_findings():
    text = "龙溪县人民政府办公室关于印发《龙溪县政务公开工作要点》的通知（龙政办〔2024〕3号）的确确实实有效。"
    assert scan_text(text) == []


def test_masks_follow_the_official_format():
    assert mask("mobile", "13812341234") == "138****1234"
    assert mask("id_card", "350102199001011223") == "35**************23"
    assert mask("bank_card", CARD) == "6222***********4562"


def test_mistyped_id_is_neither_an_id_nor_a_bank_card():
    """An 18-digit number with a region and birth date but a wrong check digit is a mistyped ID (GB 11643):
    not reported as an ID, and not as a bank card even when it happens to pass Luhn."""
    number = "510104195909082720"
    assert not is_id_number(number) and is_bank_card(number)
    assert kinds(f"证件号{number}") == []
