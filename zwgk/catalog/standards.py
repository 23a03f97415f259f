"""The 标准指引 of the 基层政务公开 areas (国办发〔2019〕54号), as versioned data files.

One JSON file per area in `areas/` (`01.json` … `26.json` are the 26 pilot areas, `27.json` on the
optional areas issued later), validated against `area.schema.json`. Fields whose official text is not in
the repository carry their name in the item's `manual` list ([M], 待核实): the back office shows them
flagged and editable. A 公开依据 is never invented: an empty one must be flagged.
"""

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema

AREA_DIR = Path(__file__).with_name("areas")
SCHEMA_FILE = Path(__file__).with_name("area.schema.json")

ITEM_FIELDS = (
    "level1",
    "level2",
    "content",
    "basis",
    "time_limit",
    "subject",
    "channels",
    "audience",
    "mode",
    "levels",
)
CHECKLIST_FIELDS = ("channels", "audience", "mode", "levels")
CORE, LATER = "core", "later"

# 公开渠道和载体: the checklist of the county and township catalogues (spec §4.3).
CHANNELS = (
    "政府网站",
    "政府公报",
    "两微一端",
    "发布会/听证会",
    "广播电视",
    "纸质媒体",
    "公开查阅点",
    "政务服务中心",
    "便民服务站",
    "入户/现场",
    "社区/企事业单位/村公示栏（电子屏）",
    "精准推送",
    "其他",
)
AUDIENCES = ("全社会", "特定群众")
MODES = ("主动", "依申请")
LEVELS = ("县级", "乡级")


@dataclass(frozen=True)
class StandardItem:
    """One 事项 of an area's 标准指引."""

    code: str
    level1: str
    level2: str
    content: str
    basis: str
    time_limit: str
    subject: str
    channels: tuple
    audience: tuple
    mode: tuple
    levels: tuple
    manual: tuple

    def fields(self) -> dict:
        return {name: list(v) if isinstance(v := getattr(self, name), tuple) else v for name in ITEM_FIELDS}


@dataclass(frozen=True)
class Area:
    """One 领域 (试点领域) and its 标准指引."""

    code: str
    name: str
    pack: str
    issuer: str
    version: str
    source: str
    manual: tuple
    note: str
    items: tuple = field(default=())

    @property
    def optional(self) -> bool:
        return self.pack == LATER


class AreaFileError(ValueError):
    pass


@functools.cache
def schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def check_area_data(data: dict, name: str = "") -> None:
    """Schema plus the rules a schema cannot say: item codes under the area's code, unique, and an empty
    公开依据 always flagged [M] (it is never invented)."""
    try:
        jsonschema.validate(data, schema())
    except jsonschema.ValidationError as error:
        where = "/".join(str(p) for p in error.absolute_path)
        raise AreaFileError(f"{name} 不符合标准指引格式（{where}）：{error.message}") from error
    seen = set()
    for item in data["items"]:
        if not item["code"].startswith(data["code"] + "-"):
            raise AreaFileError(f"{name} 事项编码 {item['code']} 不属于领域 {data['code']}")
        if item["code"] in seen:
            raise AreaFileError(f"{name} 事项编码 {item['code']} 重复")
        seen.add(item["code"])
        if not item["basis"].strip() and "basis" not in item["manual"]:
            raise AreaFileError(f"{name} 事项 {item['code']} 的公开依据为空却未标为待核实")


def _area(data: dict) -> Area:
    items = tuple(
        StandardItem(
            **{k: tuple(v) if isinstance(v, list) else v for k, v in item.items()},
        )
        for item in data["items"]
    )
    return Area(
        code=data["code"],
        name=data["name"],
        pack=data["pack"],
        issuer=data["issuer"],
        version=data["version"],
        source=data["source"],
        manual=tuple(data["manual"]),
        note=data.get("note", ""),
        items=items,
    )


@functools.cache
def areas() -> tuple[Area, ...]:
    """Every area of the repository's data files, in code order (core areas first)."""
    loaded = []
    for path in sorted(AREA_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        check_area_data(data, path.name)
        if path.stem != data["code"]:
            raise AreaFileError(f"{path.name} 的文件名应与领域编码 {data['code']} 一致")
        loaded.append(_area(data))
    return tuple(loaded)


def area(code: str) -> Area | None:
    return next((a for a in areas() if a.code == code), None)


def area_choices(include_optional: bool = True) -> list[tuple[str, str]]:
    return [
        (a.code, f"{a.code} {a.name}" + ("（后续领域，可选）" if a.optional else ""))
        for a in areas()
        if include_optional or not a.optional
    ]
