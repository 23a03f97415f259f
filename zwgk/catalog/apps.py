from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "zwgk.catalog"
    label = "catalog"
    verbose_name = "基层政务公开标准目录"
