from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "zwgk.screening"
    label = "screening"
    verbose_name = "发布审查"

    def ready(self):
        # ready: these modules import the models, loadable only now (importing signals connects its receivers).
        from . import guard, jobs, search_texts, signals, uploads  # noqa: F401

        guard.register()  # the publish guard asks screening before any revision goes live
        jobs.register()
        uploads.connect()  # documents and images screened after upload; the upload limits
        search_texts.connect()  # attachments' text for the search index
