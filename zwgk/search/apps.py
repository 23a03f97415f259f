from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "zwgk.search"
    label = "zwgk_search"
    verbose_name = "全文检索"

    def ready(self):
        from . import jobs, signals  # noqa: F401  ready(): they import models, loadable only now

        jobs.register()
