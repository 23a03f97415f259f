"""One door for the audit log: every state change a staff member makes goes through `record`.

It writes Wagtail's audit log (ModelLogEntry / PageLogEntry), so the back office's 日志 reports and
each object's history show zwgk's actions beside Wagtail's own. Action names are dotted and
registered in `wagtail_hooks.register_log_actions`.
"""

from wagtail.log_actions import log

ACTIONS = {
    "zwgk.calendar.change": "修改节假日安排",
    "zwgk.organisation.change": "修改机关信息",
    "zwgk.policy.status": "变更文件有效性",
    "zwgk.index_number.assign": "分配索引号",
    "zwgk.document.replace": "替换已发布信息的附件（提交三审）",
    "zwgk.document.screened": "上传文件审查",
}


def record(instance, action: str, *, user=None, data: dict | None = None, title: str | None = None):
    """Write one audit entry for `action` on `instance` by `user` (None = system)."""
    return log(instance=instance, action=action, user=user, data=data or {}, title=title)
