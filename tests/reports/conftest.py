"""The county of the annual-report tests: one 2025 application per official result (spec §2.3), two
carried over from 2024, one still open at year end, a department's case and two appeals."""

import datetime as dt

import pytest

from tests import factories
from zwgk.applications import services
from zwgk.applications.models import AppealRecord
from zwgk.applications.vocab import RESULTS

D = dt.date
TYPES = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
# Each official result gets exactly one application of 2025, applicant types in turn (written out).
CASES = [
    ("（一）予以公开", None, "自然人"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, "商业企业"),
    ("（三）不予公开", "1.属于国家秘密", "科研机构"),
    ("（三）不予公开", "2.其他法律行政法规禁止公开", "社会公益组织"),
    ("（三）不予公开", "3.危及“三安全一稳定”", "法律服务机构"),
    ("（三）不予公开", "4.保护第三方合法权益", "其他"),
    ("（三）不予公开", "5.属于三类内部事务信息", "自然人"),
    ("（三）不予公开", "6.属于四类过程性信息", "商业企业"),
    ("（三）不予公开", "7.属于行政执法案卷", "科研机构"),
    ("（三）不予公开", "8.属于行政查询事项", "社会公益组织"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息", "法律服务机构"),
    ("（四）无法提供", "2.没有现成信息需要另行制作", "其他"),
    ("（四）无法提供", "3.补正后申请内容仍不明确", "自然人"),
    ("（五）不予处理", "1.信访举报投诉类申请", "商业企业"),
    ("（五）不予处理", "2.重复申请", "科研机构"),
    ("（五）不予处理", "3.要求提供公开出版物", "社会公益组织"),
    ("（五）不予处理", "4.无正当理由大量反复申请", "法律服务机构"),
    ("（五）不予处理", "5.要求行政机关确认或重新出具已获取信息", "其他"),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "自然人"),
    (
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "商业企业",
    ),
    ("（六）其他处理", "3.其他", "科研机构"),
]


@pytest.fixture
def county():
    org = factories.organisation(name="龙溪县人民政府", slug="xzf", credit_code="11441700007280420Y")
    department = factories.organisation(parent=org, name="龙溪县财政局", slug="czj")
    factories.site()
    clerk = factories.staff("clerk", org, "信息员", "依申请公开审核")
    codes = {(g, r): code for code, g, r in RESULTS}
    for i, (group, reason, applicant_type) in enumerate(CASES):
        a = services.register_application(
            org,
            channel="信函",
            received_on=D(2025, 3, 3) + dt.timedelta(days=i),
            user=clerk,
            applicant_type=applicant_type,
        )
        services.reply(
            a,
            on=D(2025, 4, 1) + dt.timedelta(days=i),
            user=clerk,
            result=codes[(group, reason or "")],
            legal_basis="",
        )
    # Carried over from 2024 (two), replied in 2025 as 予以公开; one of 2025 still open at year end.
    for applicant_type in ("自然人", "其他"):
        a = services.register_application(
            org, channel="网络", received_on=D(2024, 12, 23), user=clerk, applicant_type=applicant_type
        )
        services.reply(a, on=D(2025, 1, 15), user=clerk, result="granted", legal_basis="")
    services.register_application(
        org, channel="当面", received_on=D(2025, 12, 26), user=clerk, applicant_type="法律服务机构"
    )
    # The department's own case appears only in the county roll-up.
    services.register_application(
        department, channel="当面", received_on=D(2025, 6, 2), user=clerk, applicant_type="自然人"
    )
    appealed = services.register_application(
        org, channel="信函", received_on=D(2024, 5, 6), user=clerk, applicant_type="自然人"
    )
    services.reply(appealed, on=D(2024, 5, 20), user=clerk, result="denied.4", legal_basis="")
    AppealRecord.objects.create(
        application=appealed,
        kind="行政复议",
        filed_on=D(2025, 2, 1),
        outcome="结果维持",
        decided_on=D(2025, 4, 1),
    )
    AppealRecord.objects.create(
        application=appealed, kind="行政诉讼", after_review=True, filed_on=D(2025, 5, 1), outcome="尚未审结"
    )
    return org
