from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "zwgk.portal"
    label = "portal"
    verbose_name = "门户网站"

    def ready(self):
        from . import replica
        from .cache import connect_signals

        connect_signals()
        replica.connect()
