"""Demo 互动交流 for the fictional county: boxes of the government and its departments, a 网站纠错 box,
reply templates, and about 200 messages of the past year in every state (answered and published, not
public, 不予受理, transferred, extended, waiting, overdue — one past the 3-month veto line)."""

import datetime as dt
import random

from zwgk.core.workdays import add_working_days
from zwgk.interaction import services
from zwgk.interaction.models import Box, ReplyTemplate
from zwgk.interaction.rules import add_months
from zwgk.interaction.vocab import BoxKind, Source

QUESTIONS = [
    ("城乡低保申请条件咨询", "请问家里老人想申请城乡低保，需要满足什么条件，到哪里办理？"),
    ("小区路灯长期不亮", "人民路幸福小区门口的路灯已经坏了一个多月，晚上出行不安全，希望尽快维修。"),
    ("建议增设公交站点", "建议在城东工业园区门口增设一个公交站点，方便上下班的职工。"),
    ("学校划片范围咨询", "请问今年城关镇第二小学的招生划片范围是否有调整？在哪里可以查到？"),
    ("投诉餐馆油烟扰民", "解放路一家餐馆的油烟直接排向居民楼，多次反映未解决，请相关部门处理。"),
    ("医保异地备案怎么办理", "在外地工作，想办理医保异地就医备案，需要准备哪些材料？"),
    ("农村危房改造补助", "请问农村危房改造补助的申请流程和补助标准是什么？"),
    ("营业执照变更咨询", "个体工商户变更经营场所，营业执照需要怎么变更，能否网上办理？"),
    ("建议完善河道护栏", "龙溪河滨河步道部分路段没有护栏，存在安全隐患，建议完善。"),
    ("灵活就业社保缴费", "灵活就业人员的养老保险缴费基数怎么选，可以在手机上缴费吗？"),
]
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周婷", "吴刚"]
TEMPLATES = [
    (
        "通用答复",
        "{name}您好：\n您于{received_on}反映的“{subject}”已收悉。经了解，现答复如下：\n\n感谢您对我们工作的关心和支持。\n{organisation}\n{date}",
    ),
    (
        "已转交办理",
        "{name}您好：\n您反映的“{subject}”已转交相关单位办理，办理结果将另行答复。\n{organisation}\n{date}",
    ),
]
REPLY = "{name}您好：您反映的“{subject}”已收悉。经核实，相关事项已按规定处理，具体可拨打0797-6120000咨询。感谢您的关心和支持。"


def create_boxes(organisations: dict) -> dict:
    government = organisations["xzf"]
    boxes = {
        "leader": Box.objects.create(
            organisation=government,
            kind=BoxKind.LEADER,
            name="县长信箱",
            leader_email="xzxx@longxi.example.gov.cn",
            intro="反映涉及全县的重要问题和建议。",
            sort_order=1,
        ),
        "consult": Box.objects.create(
            organisation=government, kind=BoxKind.CONSULT, name="咨询", sort_order=2
        ),
        "complaint": Box.objects.create(
            organisation=government, kind=BoxKind.COMPLAINT, name="投诉", sort_order=3
        ),
        "suggestion": Box.objects.create(
            organisation=government, kind=BoxKind.SUGGESTION, name="建议", sort_order=4
        ),
        "error": Box.objects.create(
            organisation=organisations["zfb"], kind=BoxKind.ERROR, name="网站纠错", sort_order=9
        ),
    }
    for slug in ("mzj", "rsj", "jtj", "zjj", "scjgj"):
        boxes[slug] = Box.objects.create(
            organisation=organisations[slug],
            kind=BoxKind.DEPARTMENT,
            name=f"{organisations[slug].short_name}信箱",
        )
    return boxes


def create_demo_interaction(organisations: dict, today: dt.date, rng: random.Random, count: int = 200) -> int:
    """Boxes, templates and `count` messages received over the year before `today`; returns the count."""
    boxes = create_boxes(organisations)
    for title, body in TEMPLATES:
        ReplyTemplate.objects.get_or_create(title=title, defaults={"body": body})
    departments = [organisations[s] for s in ("mzj", "rsj", "jtj", "zjj", "scjgj")]
    keys = list(boxes)
    for i in range(count):
        box = boxes[rng.choice(keys)]
        subject, content = rng.choice(QUESTIONS)
        name = rng.choice(NAMES)
        phone = f"139{rng.randrange(10**7, 10**8)}"
        # The first one is past the 3-month line; a few recent ones wait; the rest spread over the year.
        received = today - dt.timedelta(days=110 if i == 0 else i if i < 12 else rng.randrange(0, 365))
        error = box.kind == BoxKind.ERROR
        message, _ = services.submit(
            box,
            subject="网站纠错：链接错误（打不开）" if error else subject,
            content="首页“办事服务”栏目的链接打不开。" if error else f"{content}我的电话是{phone}。",
            name="" if error else name,
            phone="" if error else phone,
            wants_public=not error and rng.random() < 0.7,
            page_url="http://www.longxi.gov.cn/" if error else "",
            error_type="链接错误（打不开）" if error else "",
            source=Source.NATIONAL if error and rng.random() < 0.5 else Source.WEB,
            received_on=received,
        )
        _advance(message, i, received, today, rng, departments)
    return count


def _advance(message, i, received, today, rng, departments):
    """Take a message through the states a real year leaves behind: most answered, some still open."""
    age = (today - received).days
    roll = rng.random()
    if i == 0:  # one valid message past the 19号 3-month line: the dashboard shows it in red
        services.accept(message, user=None, on=received)
        return
    if age < 4:
        return  # 待受理
    if roll < 0.05:
        services.reject(
            message, user=None, on=received, reason="留言内容与本信箱受理范围无关，请向有关部门反映。"
        )
        return
    services.accept(message, user=None, on=received)
    if message.box.kind in (BoxKind.LEADER, BoxKind.CONSULT, BoxKind.COMPLAINT) and roll < 0.35:
        services.transfer(message, user=None, to_organisation=rng.choice(departments), on=received)
    if age < 20 and roll < 0.5:
        return  # 办理中
    if roll > 0.93:
        services.extend(
            message, user=None, on=received, days=message.reply_days, reason="需实地核查，经负责人同意延期。"
        )
    late = rng.random() < 0.1
    answered = add_working_days(received, message.reply_days + (3 if late else -rng.randrange(0, 2)))
    answered = max(received, min(answered, today, add_months(received, 2)))
    text = REPLY.format(name=f"{message.name[:1]}**" if message.name else "网友", subject=message.subject)
    services.draft(message, user=None, text=text, on=answered)
    if age < 30 and roll < 0.7:
        return  # 待审核
    services.approve(
        message, user=None, on=answered, publish=message.wants_public and message.box.publish_replies
    )
    if rng.random() < 0.5:
        services.rate(message, rating=rng.choice(["satisfied", "satisfied", "fair", "dissatisfied"]))
