from django.apps import AppConfig

from zwgk.core import digest


class ApplicationsConfig(AppConfig):
    name = "zwgk.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self):
        # ready(): these import models, loadable only now; checks registers the font check.
        from . import checks, ledger_upload, tasks  # noqa: F401

        ledger_upload.register()  # 台账导入 as a back-office job
        digest.register("依申请公开到期提醒", tasks.send_daily_digest)
