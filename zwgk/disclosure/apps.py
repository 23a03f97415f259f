from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "zwgk.disclosure"
    label = "disclosure"
    verbose_name = "主动公开"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_defaults_once, sender=self)


def _install_defaults_once(sender, using="default", **kwargs):
    """Roles and the 三审 workflow are the default of every new site (issue #2)."""
    from django.db import connections

    from .setup import install_defaults

    if "wagtailcore_page" in connections[using].introspection.table_names():
        install_defaults()
