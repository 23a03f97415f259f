from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "zwgk.screening"
    label = "screening"
    verbose_name = "发布审查"

    def ready(self):
        from . import jobs, signals  # noqa: F401  (importing models: only once apps are ready)

        jobs.register()
