"""Demo applications that show each notice of 依申请公开 open on the 工作台 today: a lapsed 补正 period,
a 收费通知 awaiting payment, a third-party consultation, a 36(5) reply with its 转送函, and information
two applicants asked for (条例第四十四条)."""

import datetime as dt

from zwgk.applications import services
from zwgk.core.workdays import add_working_days


def _paper(organisation, received, name, description, **fields):
    return services.register_application(
        organisation,
        channel="信函",
        received_on=received,
        user=None,
        applicant_type="自然人",
        applicant_name=name,
        description=description,
        form_wanted="电子",
        delivery="电子邮件",
        email="demo@example.com",
        **fields,
    )


def create_demo_notices(organisations: dict, today: dt.date) -> int:
    """Five open or recent applications at the county government and its first department; returns 6."""

    def ago(n):
        return add_working_days(today, -n)

    county = organisations["xzf"]
    department = next(
        o for o in organisations.values() if o.parent_id == county.pk and o.kind == "department"
    )
    waiting = _paper(department, ago(22), "周建国", "2025年农村危房改造补助名单")
    services.request_supplement(waiting, on=ago(21), user=None, note="请说明所需名单的乡镇和年份")
    fee = _paper(department, ago(8), "某咨询有限公司", "近三年全部行政处罚决定书")
    services.send_fee_notice(fee, on=ago(6), user=None, method="按量", quantity=180)
    consulting = _paper(county, ago(6), "吴晓梅", "某企业环境影响评价报告全文")
    services.consult(consulting, on=ago(4), user=None, party="龙溪县某化工有限公司")
    referred = _paper(county, ago(12), "郑志强", "某地块不动产登记信息")
    services.reply(
        referred,
        on=ago(2),
        user=None,
        result="unable.1",
        legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（五）项",
        answer_form="36.5",
        competent_organ="龙溪县自然资源局",
        competent_contact="0797-6125678，龙溪县行政中心6号楼",
    )
    for name in ("孙丽", "马东"):
        same = _paper(department, ago(15), name, "2025年城区停车场收费标准及依据")
        services.reply(
            same,
            on=ago(3),
            user=None,
            result="granted",
            legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（二）项",
            answer_form="36.2",
        )
        services.set_information_item(same, user=None, item="城区停车场收费标准及依据")
    return 6
