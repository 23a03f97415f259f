"""Demo 意见征集: one open consultation with comments and a questionnaire, one closed with its 采纳情况
published after 三审 and linked to the 规范性文件 it produced."""

import datetime as dt

from django.contrib.auth import get_user_model

from zwgk.disclosure.models import PolicyDocumentPage
from zwgk.interaction.consultations import services
from zwgk.interaction.consultations.models import Question

OPEN_DRAFT = """龙溪县城区公共停车场管理办法（征求意见稿）
第一条　为规范城区公共停车场的建设和管理，缓解停车难问题，制定本办法。
第二条　本办法适用于本县城区范围内公共停车场的规划、建设、使用和管理。
第三条　公共停车场实行政府指导价，收费标准应当在停车场入口显著位置公示。
第四条　鼓励机关、企事业单位在非工作时间向社会开放内部停车场。
第五条　本办法自发布之日起施行，有效期五年。"""

CLOSED_DRAFT = """龙溪县农村生活垃圾治理办法（征求意见稿）
第一条　为改善农村人居环境，推进农村生活垃圾分类和治理，制定本办法。
第二条　农村生活垃圾实行“户分类、村收集、镇转运、县处理”。
第三条　乡镇人民政府负责本辖区农村生活垃圾治理的组织实施。
第四条　本办法自发布之日起施行。"""


def create_demo_consultations(orgs: dict, today: dt.date) -> int:
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=("xinxiyuan", "chushen", "fushen", "zhongshen"))
    }
    clerk, county = users["xinxiyuan"], orgs["xzf"]

    open_ = services.create(
        organisation=county,
        user=clerk,
        title="关于《龙溪县城区公共停车场管理办法（征求意见稿）》公开征求意见的公告",
        kind="normative",
        draft_text=OPEN_DRAFT,
        explanation="为解决城区停车难、停车乱问题，县交通运输局起草了本办法。起草中调研了城区32个停车场。",
        starts_on=today - dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=27),
        contact="龙溪县交通运输局政策法规股，电话 0797-6120123，邮箱 jtj@longxi.gov.cn（演示）",
    )
    services.publish(open_, user=clerk)
    Question.objects.create(
        consultation=open_,
        order=1,
        text="您是否支持开放机关内部停车场？",
        kind="single",
        options_text="支持\n不支持\n无所谓",
    )
    Question.objects.create(consultation=open_, order=2, text="您的其他建议", kind="text")
    for article, body in (
        (3, "建议第三条增加收费标准在网上同步公示的要求。"),
        (4, "开放内部停车场是好事，建议明确安全管理责任。"),
        (None, "本人身份证号11010519491231002X，家住城关镇，希望小区周边多建停车位。"),
    ):
        comment = services.submit_comment(open_, body=body, article=article, name="网民")
        if not comment.blocked:
            services.moderate(comment, user=clerk, approve=True)

    closed = services.create(
        organisation=county,
        user=clerk,
        title="关于《龙溪县农村生活垃圾治理办法（征求意见稿）》公开征求意见的公告",
        kind="normative",
        draft_text=CLOSED_DRAFT,
        explanation="为落实农村人居环境整治要求，县住房和城乡建设局起草了本办法。",
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=30),
        contact="龙溪县住房和城乡建设局，电话 0797-6120456（演示）",
    )
    services.publish(closed, user=clerk)
    answers = (
        (2, "建议第二条增加“资源化利用”环节。", "partly", "资源化利用纳入第二条，具体办法另行制定。"),
        (3, "乡镇人手不足，建议明确村级保洁员配备标准。", "adopted", ""),
        (
            None,
            "建议对垃圾分类好的农户给予奖励。",
            "not_adopted",
            "奖励办法涉及财政资金，由各乡镇结合实际制定。",
        ),
    )
    comments = []
    for article, body, _, _ in answers:
        comment = services.submit_comment(closed, body=body, article=article)
        services.moderate(comment, user=clerk, approve=True)
        comments.append(comment)
    # The window closes (the comments above came in while it was open).
    services.update(
        closed, user=clerk, starts_on=today - dt.timedelta(days=60), ends_on=today - dt.timedelta(days=30)
    )
    feedback = services.save_feedback(
        closed,
        user=clerk,
        summary="征集期间共收到意见3条，采纳1条，部分采纳1条，不予采纳1条。",
        items=[
            {"opinion": c.public_text, "decision": decision, "reason": reason, "comments": [c]}
            for c, (_, _, decision, reason) in zip(comments, answers, strict=True)
        ],
    )
    services.submit_feedback(feedback, user=clerk)
    for reviewer in ("chushen", "fushen", "zhongshen"):
        services.review_feedback(feedback, user=users[reviewer], approve=True, opinion="同意发布。")
    document = (
        PolicyDocumentPage.objects.live()
        .filter(organisation=county, doc_kind="normative")
        .order_by("-pk")
        .first()
    )
    if document is not None:
        services.link_document(closed, user=clerk, document=document)
    return 2
