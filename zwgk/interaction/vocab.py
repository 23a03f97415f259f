"""Kinds and states of 互动交流 (labels as the spec and the 19号 inspection name them)."""

from django.db import models


class BoxKind(models.TextChoices):
    LEADER = "leader", "书记/县长信箱"
    DEPARTMENT = "department", "部门信箱"
    CONSULT = "consult", "咨询"
    COMPLAINT = "complaint", "投诉"
    SUGGESTION = "suggestion", "建议"
    ERROR = "error", "网站纠错"


class Status(models.TextChoices):
    NEW = "new", "待受理"
    REJECTED = "rejected", "不予受理"
    PROCESSING = "processing", "办理中"
    REVIEW = "review", "待审核"
    ANSWERED = "answered", "已答复"


class Source(models.TextChoices):
    WEB = "web", "网站留言"
    NATIONAL = "national", "全国政府网站找错平台转办"
    OTHER = "other", "其他渠道登记"


class Rating(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    FAIR = "fair", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


ERROR_TYPES = [
    (v, v) for v in ("错别字", "链接错误（打不开）", "内容过期未更新", "信息不准确", "页面无法访问", "其他")
]
OPEN = (Status.NEW, Status.PROCESSING, Status.REVIEW)
VALID = (Status.PROCESSING, Status.REVIEW, Status.ANSWERED)  # 受理 (a valid message)
