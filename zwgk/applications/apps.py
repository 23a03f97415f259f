from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "zwgk.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self):
        from . import checks  # noqa: F401  (registers the font check)
