from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "zwgk.disclosure"
    label = "disclosure"
    verbose_name = "主动公开"

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_install_defaults_once, sender=self)
        # The document/image permission policy, the serve checks, screening and replacement signals.
        from . import documents, images  # noqa: F401


def _install_defaults_once(sender, using="default", **kwargs):
    """Roles and the 三审 workflow are the default of every new site (issue #2)."""
    from django.db import connections

    from .setup import install_defaults

    if "wagtailcore_page" not in connections[using].introspection.table_names():
        return
    # post_migrate reaches this app before wagtail.admin and auth have (re)created their permissions
    # (after a flush they are gone), so make sure every app's permissions exist first.
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes

    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)
    install_defaults()
