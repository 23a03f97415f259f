from django.apps import AppConfig


class ScreeningConfig(AppConfig):
    name = "zwgk.screening"
    label = "screening"
    verbose_name = "发布审查"

    def ready(self):
        # Importing models: only once apps are ready (signals: its receivers).
        from . import guard, jobs, signals, uploads  # noqa: F401

        guard.register()  # the publish guard asks screening before any revision goes live
        jobs.register()
        uploads.connect()  # documents and images screened after upload; the upload limits
        from . import search_texts

        search_texts.connect()  # attachments' text for the search index
