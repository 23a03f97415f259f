"""Kinds and states of 意见征集 (labels as the spec writes them)."""

from django.db import models


class DraftKind(models.TextChoices):
    """征集稿的类别: it decides the shortest window (rules.window_error)."""

    RULE = "rule", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    MAJOR_DECISION = "major_decision", "重大行政决策"
    OTHER = "other", "其他"


class Status(models.TextChoices):
    DRAFT = "draft", "未发布"
    PUBLISHED = "published", "已发布"
    CLOSED = "closed", "已办结"


class Phase(models.TextChoices):
    """What the citizen sees: the tab of the public list."""

    UPCOMING = "upcoming", "即将开始"
    OPEN = "open", "正在征集"
    ENDED = "ended", "已结束"
    FEEDBACK = "feedback", "已反馈"


class CommentStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "审核通过"
    REJECTED = "rejected", "不予采用（不公开）"


class QuestionKind(models.TextChoices):
    SINGLE = "single", "单选"
    MULTIPLE = "multiple", "多选"
    TEXT = "text", "文字回答"


class Decision(models.TextChoices):
    ADOPTED = "adopted", "采纳"
    PARTLY = "partly", "部分采纳"
    NOT_ADOPTED = "not_adopted", "不予采纳"


class FeedbackStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "三审中"
    REJECTED = "rejected", "退回修改"
    PUBLISHED = "published", "已发布"
