"""Demo applications for the fictional county: every result, every channel and applicant type, over years."""

import datetime as dt
import random

from zwgk.applications import services
from zwgk.applications.models import Application
from zwgk.applications.vocab import RESULT_LABELS, ApplicantType, Channel, Status
from zwgk.core.workdays import add_working_days

SUBJECTS = [
    "2024年城乡低保资金发放情况",
    "某小区规划许可批复文件",
    "征地补偿安置方案",
    "本单位2023年“三公”经费决算",
    "某企业环境影响评价文件",
    "龙政办〔2023〕12号文件全文",
    "某道路改造工程招标文件",
    "学校划片招生范围依据",
]
# The article each kind of result rests on (条例; 国办函〔2020〕109号 for fees).
LEGAL_BASIS = {
    "granted": "第三十六条第（二）项",
    "partial": "第三十七条",
    "denied.4": "第十五条、第三十二条",
    "denied.8": "第三十六条第（七）项",
    "unable.1": "第三十六条第（四）项",
    "unable.2": "第三十八条",
    "unable.3": "第三十条",
    "not_processed.1": "第三十九条第一款",
    "not_processed.2": "第三十六条第（六）项",
    "not_processed.3": "第三十九条第二款",
    "not_processed.4": "第三十五条",
    "other.1": "第三十条",
}
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "龙溪县某建材有限公司", "某律师事务所"]


def create_demo_applications(
    organisations: dict,
    *,
    years: list[int],
    rng: random.Random,
    per_year: int = 40,
    today: dt.date | None = None,
) -> int:
    """Create applications with every result over `years` (the last year's later ones stay open)."""
    today = today or dt.date.today()
    orgs = [o for o in organisations.values() if o.kind != "office"]
    results = list(RESULT_LABELS)
    created = 0
    for year in years:
        for i in range(per_year):
            received = dt.date(year, 1, 2) + dt.timedelta(days=rng.randrange(0, 360))
            if received > today:
                continue
            applicant_type = rng.choice([ApplicantType.PERSON] * 5 + list(ApplicantType.values[1:]))
            application = services.register_application(
                rng.choice(orgs),
                channel=rng.choice(
                    [Channel.ONLINE, Channel.LETTER, Channel.IN_PERSON, Channel.FAX, Channel.ONLINE]
                ),
                received_on=received,
                user=None,
                applicant_type=applicant_type,
                applicant_name=rng.choice(NAMES),
                description=rng.choice(SUBJECTS),
                form_wanted="电子",
                delivery="电子邮件",
                email="demo@example.com",
            )
            replied = add_working_days(received, rng.randint(3, 22))
            if replied >= today:
                continue  # still open: carried over into the next year
            result = results[(i + year) % len(results)] if i < len(results) else rng.choice(results[:6])
            if result == "other.1":
                services.request_supplement(
                    application, on=add_working_days(received, 2), user=None, note="请明确所需信息的名称"
                )
                replied = add_working_days(received, 25)
                if replied >= today:
                    continue
            services.reply(
                application,
                on=replied,
                user=None,
                result=result,
                legal_basis="《中华人民共和国政府信息公开条例》"
                + LEGAL_BASIS.get(
                    result, "第三十六条第（三）项" if result.startswith("denied") else "第三十六条"
                ),
            )
            Application.objects.filter(pk=application.pk).update(status=Status.CLOSED)
            created += 1
    return created
