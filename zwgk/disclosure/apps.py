from django.apps import AppConfig, apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import connections
from django.db.models.signals import post_migrate


class DisclosureConfig(AppConfig):
    name = "zwgk.disclosure"
    label = "disclosure"
    verbose_name = "主动公开"

    def ready(self):
        post_migrate.connect(_install_defaults_once, sender=self)
        # The document/image permission policy, the serve checks and the replacement signals
        # (ready(): they import models, loadable only now).
        from . import documents, images  # noqa: F401


def _install_defaults_once(sender, using="default", **kwargs):
    """Roles and the 三审 workflow are the default of every new site (issue #2)."""
    from .setup import install_defaults  # setup imports models: not at this module's import (app loading)

    if "wagtailcore_page" not in connections[using].introspection.table_names():
        return
    # post_migrate reaches this app before wagtail.admin and auth have (re)created their permissions
    # (after a flush they are gone), so make sure every app's permissions exist first.
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)
    install_defaults()
