"""Vocabularies of 依申请公开; labels verbatim from the annual report format (spec §2.3, §2.4)."""

from django.db import models


class Channel(models.TextChoices):
    IN_PERSON = "当面", "当面"
    ONLINE = "网络", "网络"
    LETTER = "信函", "信函"
    FAX = "传真", "传真"
    OTHER = "其他", "其他"


class ApplicantType(models.TextChoices):
    PERSON = "自然人", "自然人"
    COMPANY = "商业企业", "商业企业"
    RESEARCH = "科研机构", "科研机构"
    NONPROFIT = "社会公益组织", "社会公益组织"
    LEGAL = "法律服务机构", "法律服务机构"
    OTHER = "其他", "其他"


class IdType(models.TextChoices):
    RESIDENT_ID = "居民身份证", "居民身份证"
    PASSPORT = "护照", "护照"
    OTHER = "其他证件", "其他证件"
    CREDIT_CODE = "统一社会信用代码", "统一社会信用代码"


class EventKind(models.TextChoices):
    """The steps of the ledger (`ApplicationEvent.kind`); the clock reads some of them (clock.KINDS)."""

    SUBMITTED = "submitted", "提交申请"
    REGISTERED = "registered", "登记申请"
    IMPORTED = "imported", "台账导入"
    CONFIRMED = "confirmed", "确认收到申请"
    ASSIGNED = "assigned", "分配承办"
    TRANSFERRED = "transferred", "转办"
    SUPPLEMENT_REQUESTED = "supplement_requested", "发出补正通知"
    SUPPLEMENT_RECEIVED = "supplement_received", "收到补正材料"
    PAUSE_STARTED = "pause_started", "暂停计时"
    PAUSE_ENDED = "pause_ended", "恢复计时"
    EXTENDED = "extended", "延长答复期限"
    FEE_NOTICE = "fee_notice", "发出收费通知"
    FEE_PAID = "fee_paid", "缴纳信息处理费"
    REFERRED = "referred", "告知负责公开的机关"
    PROACTIVE_FLAGGED = "proactive_flagged", "建议转为主动公开"
    REPLIED = "replied", "作出答复"
    DELIVERED = "delivered", "送达"
    ARCHIVED = "archived", "归档"
    CLOSED = "closed", "办结"


class NoticeKind(models.TextChoices):
    """Notices and letters other than the 答复告知书, each with its template (NoticeTemplate)."""

    SUPPLEMENT = "supplement", "补正告知书"  # Art. 30
    EXTENSION = "extension", "延期答复告知书"  # Art. 33
    THIRD_PARTY = "third_party", "征求第三方意见函"  # Art. 32
    CO_MAKER = "co_maker", "征求意见函（共同制作机关）"  # Art. 34
    FEE = "fee", "收费通知书"  # 国办函〔2020〕109号
    REFERRAL = "referral", "转送函（负责公开的机关）"  # Art. 36(5)


class FeeMethod(models.TextChoices):
    PER_APPLICATION = "按件", "按件计收"
    PER_PAGE = "按量", "按量计收"


class Status(models.TextChoices):
    UNCONFIRMED = "unconfirmed", "待确认"
    PROCESSING = "processing", "办理中"
    SUPPLEMENT = "supplement", "待补正"
    PAUSED = "paused", "暂停计时"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已办结"


OPEN = (Status.UNCONFIRMED, Status.PROCESSING, Status.SUPPLEMENT, Status.PAUSED)  # not answered yet
RUNNING = (Status.PROCESSING, Status.SUPPLEMENT, Status.PAUSED)  # received and not answered: a deadline runs
FINISHED = (Status.REPLIED, Status.CLOSED)


# The official result taxonomy: (code, Table 3 group label, reason label or "").
RESULTS = [
    ("granted", "（一）予以公开", ""),
    ("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ""),
    ("denied.1", "（三）不予公开", "1.属于国家秘密"),
    ("denied.2", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("denied.3", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("denied.4", "（三）不予公开", "4.保护第三方合法权益"),
    ("denied.5", "（三）不予公开", "5.属于三类内部事务信息"),
    ("denied.6", "（三）不予公开", "6.属于四类过程性信息"),
    ("denied.7", "（三）不予公开", "7.属于行政执法案卷"),
    ("denied.8", "（三）不予公开", "8.属于行政查询事项"),
    ("unable.1", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("unable.2", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("unable.3", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("not_processed.1", "（五）不予处理", "1.信访举报投诉类申请"),
    ("not_processed.2", "（五）不予处理", "2.重复申请"),
    ("not_processed.3", "（五）不予处理", "3.要求提供公开出版物"),
    ("not_processed.4", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("not_processed.5", "（五）不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other.1", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other.2", "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other.3", "（六）其他处理", "3.其他"),
]
RESULT_LABELS = {code: f"{group}/{reason}" if reason else group for code, group, reason in RESULTS}
RESULT_BY_LABEL = {label: code for code, label in RESULT_LABELS.items()}
RESULT_CHOICES = list(RESULT_LABELS.items())
SHORT_RESULT = {
    "granted": "予以公开",
    "partial": "部分公开",
    "denied": "不予公开",
    "unable": "无法提供",
    "not_processed": "不予处理",
    "other": "其他处理",
}


def result_kind(code: str) -> str:
    """予以公开 / 部分公开 / 不予公开 / 无法提供 / 不予处理 / 其他处理 for a result code."""
    return SHORT_RESULT[code.split(".")[0]]


class AppealKind(models.TextChoices):
    REVIEW = "行政复议", "行政复议"
    LITIGATION = "行政诉讼", "行政诉讼"


class AppealOutcome(models.TextChoices):
    UPHELD = "结果维持", "结果维持"
    CORRECTED = "结果纠正", "结果纠正"
    OTHER = "其他结果", "其他结果"
    PENDING = "尚未审结", "尚未审结"


class AnswerForm(models.TextChoices):
    """条例第三十六条: the seven legal forms of a reply (the letter states one of them)."""

    PUBLISHED = "36.1", "（一）已经主动公开，告知获取的方式、途径"
    DISCLOSED = "36.2", "（二）可以公开，向申请人提供或告知获取的方式、途径和时间"
    REFUSED = "36.3", "（三）决定不予公开，告知并说明理由"
    NOT_EXIST = "36.4", "（四）经检索没有所申请公开信息，告知该政府信息不存在"
    NOT_OURS = "36.5", "（五）不属于本机关负责公开，告知并说明理由，告知负责公开机关的名称、联系方式"
    REPEATED = "36.6", "（六）重复申请，告知不予重复处理"
    SPECIAL_LAW = "36.7", "（七）工商、不动产登记资料等，告知依照有关法律、行政法规办理"


# The 年报 表三 row each of Art. 36's forms counts under (spec §2.6). A tuple allows any of its codes
# (36(3): the reason decides which of （三）1–7). 36(1), 36(4), 36(5) and 36(7) follow common practice
# ([M]): a clerk whose province counts them elsewhere leaves the form empty and picks the row.
ANSWER_FORM_ROWS = {
    AnswerForm.PUBLISHED: ("granted",),
    AnswerForm.DISCLOSED: ("granted",),
    AnswerForm.REFUSED: tuple(f"denied.{i}" for i in range(1, 8)),
    AnswerForm.NOT_EXIST: ("unable.1",),
    AnswerForm.NOT_OURS: ("unable.1",),
    AnswerForm.REPEATED: ("not_processed.2",),
    AnswerForm.SPECIAL_LAW: ("denied.8",),
}
