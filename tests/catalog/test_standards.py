"""The areas' 标准指引 as data files (国办发〔2019〕54号: 26 pilot areas, later areas as optional packs)."""

import copy
import json

import jsonschema
import pytest

from zwgk.catalog import standards


def test_every_area_file_matches_the_schema():
    schema = standards.schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    files = sorted(standards.AREA_DIR.glob("*.json"))
    assert len(files) == 31
    for path in files:
        data = json.loads(path.read_text(encoding="utf-8"))
        standards.check_area_data(data, path.name)  # raises on any fault
        assert path.stem == data["code"]


def test_26_pilot_areas_and_the_later_areas_as_optional_packs():
    areas = standards.areas()
    core = [a for a in areas if not a.optional]
    later = [a for a in areas if a.optional]
    assert len(core) == 26
    assert {"重大建设项目", "公共资源交易", "财政预决算", "义务教育"} <= {a.name for a in core}
    # The later areas named in corpus/004: 交通运输、旅游、广播电视、统计、新闻出版版权.
    assert [a.name for a in later] == ["交通运输", "旅游", "广播电视", "统计", "新闻出版版权"]


def test_no_basis_is_invented_an_empty_one_is_flagged():
    """Never invent a 公开依据: every empty one carries the [M] flag (check_area_data's rule)."""
    for area in standards.areas():
        for item in area.items:
            if not item.basis.strip():
                assert "basis" in item.manual, item.code


def _sample():
    return json.loads((standards.AREA_DIR / "04.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["items"][0].update(manual=[]), "公开依据为空却未标为待核实"),
        (lambda d: d["items"][1].update(code=d["items"][0]["code"]), "重复"),
        (lambda d: d["items"][0].update(code="05-01"), "不属于领域"),
        (lambda d: d["items"][0].update(mode=["公开"]), "不符合标准指引格式"),
        (lambda d: d["items"][0].pop("time_limit"), "不符合标准指引格式"),
        (lambda d: d["items"][0].update(levels=[]), "不符合标准指引格式"),
    ],
)
def test_faulty_area_data_is_refused(change, message):
    data = copy.deepcopy(_sample())
    change(data)
    with pytest.raises(standards.AreaFileError, match=message):
        standards.check_area_data(data, "04.json")
