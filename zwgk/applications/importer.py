"""台账 import: historical applications from .json or .xlsx, validated row by row (issue #3).

Columns / keys (the .xlsx has them as the header row, in any order):
organization (统一社会信用代码 of the handling organ), number, channel (当面/网络/信函/传真/其他),
applicant_type (自然人/商业企业/科研机构/社会公益组织/法律服务机构/其他), received_on (YYYY-MM-DD),
replied_on (date or empty while open), result (official label, e.g. `（一）予以公开` or
`（三）不予公开/1.属于国家秘密`, empty while open); optional: applicant_name, description.
Importing the same file twice creates nothing new (rows are keyed by `number`).
"""

import datetime as dt
import io
import json
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError

from zwgk.core.models import Organisation
from zwgk.text.normalize import clean_line, clean_text

from .models import Application
from .services import import_application
from .validation import check_received_replied
from .vocab import RESULT_BY_LABEL, ApplicantType, Channel

REQUIRED = ("organization", "number", "channel", "applicant_type", "received_on")


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0  # already imported
    rejected: list = field(default_factory=list)  # (row number, reason)


def read_rows(filename: str, data: bytes) -> list[dict]:
    if filename.lower().endswith(".json"):
        rows = json.loads(data.decode("utf-8-sig"))
        if not isinstance(rows, list):
            raise ValueError("JSON 文件应为对象列表。")
        return rows
    if filename.lower().endswith(".xlsx"):
        sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        header = [str(h).strip() if h is not None else "" for h in rows[0]]
        return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(v is not None for v in row)]
    raise ValueError("只支持 .xlsx 和 .json 文件。")


def _date(value, name):
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError as error:
        raise ValueError(f"{name} 日期格式应为 YYYY-MM-DD：{value}") from error


def validate_row(row: dict, organisations: dict) -> dict:
    if not isinstance(row, dict):
        raise ValueError("每一行应为一个对象（键为列名）。")
    row = {
        str(k).strip(): (clean_text(v) if k == "description" else clean_line(v)) if isinstance(v, str) else v
        for k, v in row.items()
        if k is not None
    }
    missing = [k for k in REQUIRED if not row.get(k)]
    if missing:
        raise ValueError("缺少必填项：" + "、".join(missing))
    organisation = organisations.get(str(row["organization"]).strip())
    if organisation is None:
        raise ValueError(f"找不到统一社会信用代码为 {row['organization']} 的机关")
    if row["channel"] not in Channel.values:
        raise ValueError(f"申请方式应为 当面/网络/信函/传真/其他：{row['channel']}")
    if row["applicant_type"] not in ApplicantType.values:
        raise ValueError(f"申请人类型不正确：{row['applicant_type']}")
    received, replied = _date(row["received_on"], "received_on"), _date(row.get("replied_on"), "replied_on")
    result = (row.get("result") or "").strip()
    if result and result not in RESULT_BY_LABEL:
        raise ValueError(f"办理结果应为年报中的正式栏目名称：{result}")
    if bool(result) != bool(replied):
        raise ValueError("已答复的申请须同时填写 replied_on 和 result；未办结的两者都留空")
    try:
        # The same date rules as the back office: not in the future, not before 2008-05-01, reply ≥ receipt.
        check_received_replied(received, replied)
    except ValidationError as error:
        raise ValueError("；".join(error.messages)) from error
    return dict(
        organisation=organisation,
        number=str(row["number"]).strip(),
        channel=row["channel"],
        applicant_type=row["applicant_type"],
        received_on=received,
        replied_on=replied,
        result=RESULT_BY_LABEL.get(result, ""),
        applicant_name=row.get("applicant_name") or "",
        description=row.get("description") or "",
    )


def import_rows(rows: list[dict], progress=None) -> ImportReport:
    report = ImportReport()
    organisations = {o.credit_code: o for o in Organisation.objects.all()}
    existing = set(Application.objects.values_list("number", flat=True))
    for i, row in enumerate(rows, start=2 if rows else 1):
        try:
            data = validate_row(row, organisations)
        except ValueError as error:
            report.rejected.append((i, str(error)))
            continue
        if data["number"] in existing:
            report.skipped += 1
            continue
        import_application(data)
        existing.add(data["number"])
        report.created += 1
        if progress:
            progress(i, len(rows))
    return report
