"""One door for the audit log: every state change a staff member makes goes through `record`.

It writes Wagtail's audit log (ModelLogEntry / PageLogEntry), so the back office's 日志 reports and
each object's history show zwgk's actions beside Wagtail's own. Action names are dotted and
registered in `wagtail_hooks.register_log_actions`.
"""

from wagtail.log_actions import log

from .models import AccessEvent
from .security import client_ip

AUDIT_ACTIONS = {
    "zwgk.policy.status": "变更文件有效性",
    "zwgk.index_number.assign": "分配索引号",
    "zwgk.document.replace": "替换已发布信息的附件（提交三审）",
    "zwgk.document.screened": "上传文件审查",
    "zwgk.image.replace": "替换已发布信息的图片（提交三审）",
    "zwgk.image.screened": "上传图片审查（文字识别）",
    "zwgk.review.kept_after_mask": "脱敏后三审继续（同一审核步骤）",
    "zwgk.site.create": "开设网站",
    "zwgk.site.archive": "归档网站",
    "zwgk.site.delete": "删除网站",
    "zwgk.site.reference": "引用信息到其他网站栏目",
    "zwgk.site.reference.withdraw": "撤回引用",
    # Access log (访问日志, zwgk.core.models.AccessEvent): written by `record_access`.
    "zwgk.auth.login": "登录",
    "zwgk.auth.login_failed": "登录失败",
    "zwgk.auth.logout": "退出登录",
    "zwgk.export.annual_report": "导出年度报告",
    "zwgk.export.statistics": "导出统计数据",
    "zwgk.export.ledger": "导出台账",
    "zwgk.export.lexicon": "导出敏感词库",
    "zwgk.download.letter": "下载答复文书",
}


def record(instance, action: str, *, user=None, data: dict | None = None, title: str | None = None):
    """Write one audit entry for `action` on `instance` by `user` (None = system)."""
    return log(instance=instance, action=action, user=user, data=data or {}, title=title)


def record_access(request, action: str, *, obj=None, data: dict | None = None, user=None, username: str = ""):
    """Write one access-log entry (登录、导出、下载…) with the user and the client's IP address.

    `user` defaults to the request's logged-in user; `username` is what was typed for a failed login.
    `obj` is what was exported or downloaded (its model, id and name go in the entry). The entry is an
    AccessEvent row plus a Wagtail log entry against it, so it is listed in the 网站历史 report.
    """
    if user is None:
        request_user = getattr(request, "user", None)
        user = request_user if getattr(request_user, "is_authenticated", False) else None
    if user is not None and not username:
        username = user.get_username()
    event = AccessEvent.objects.create(
        action=action,
        user=user,
        username=(username or "")[:150],
        ip=client_ip(request),
        path=(request.get_full_path() if request is not None else "")[:500],
        object_repr=str(obj)[:255] if obj is not None else "",
    )
    entry = {"ip": event.ip, "username": event.username, "path": event.path, **(data or {})}
    if obj is not None:
        entry.update(model=obj._meta.label, object_id=str(obj.pk))
    record(event, action, user=user, data=entry)
    return event
