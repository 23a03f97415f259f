"""The placeholders each kind of notice (notices.py) fills: the common ones and those of its kind.

Read by `NoticeTemplate.clean` and by the notices themselves; imports no models."""

from .vocab import NoticeKind

COMMON = {
    "applicant": "申请人",
    "number": "申请编号",
    "received_on": "收到申请之日",
    "description": "所需信息描述",
    "organisation": "机关名称",
    "date": "文书日期",
}
SPECIFIC = {
    NoticeKind.SUPPLEMENT: {
        "items": "补正事项",
        "period_days": "补正期限（工作日）",
        "deadline": "补正截止日",
    },
    NoticeKind.EXTENSION: {"days": "延长工作日数", "reason": "延期理由", "due": "延长后的答复期限"},
    NoticeKind.THIRD_PARTY: {
        "party": "第三方名称",
        "period_days": "答复期限（工作日）",
        "answer_by": "答复截止日",
    },
    NoticeKind.CO_MAKER: {
        "party": "共同制作机关",
        "period_days": "答复期限（工作日）",
        "answer_by": "答复截止日",
    },
    NoticeKind.FEE: {
        "method": "计收方式",
        "quantity": "页数或件数",
        "amount": "应收金额",
        "reduction": "减免说明",
        "payable": "应缴金额",
        "pay_by": "缴费截止日",
        "period_days": "缴费期限（工作日）",
    },
    NoticeKind.REFERRAL: {"competent_organ": "负责公开的机关", "competent_contact": "联系方式"},
}


def placeholders_for(kind: str) -> dict:
    return {**COMMON, **SPECIFIC.get(kind, {})}
