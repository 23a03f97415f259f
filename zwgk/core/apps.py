from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zwgk.core"
    label = "core"
    verbose_name = "机关与人员"

    def ready(self):
        from . import signals  # noqa: F401  ready(): its receivers import models, loadable only now
