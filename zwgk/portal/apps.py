from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zwgk.portal"
    label = "portal"
    verbose_name = "门户网站"

    def ready(self):
        from . import replica  # ready(): it imports models, loadable only now
        from .cache import connect_signals  # ready(): it imports models, loadable only now

        connect_signals()
        replica.connect()
