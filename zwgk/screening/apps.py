from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "zwgk.screening"
    label = "screening"
    verbose_name = "发布审查"

    def ready(self):
        from . import guard, jobs, signals  # noqa: F401  (importing models: only once apps are ready)

        guard.register()  # the publish guard asks screening before any revision goes live
        jobs.register()
