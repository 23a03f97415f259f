from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import Synonym


class SynonymViewSet(ModelViewSet):
    model = Synonym
    icon = "search"
    menu_label = "检索同义词"
    menu_order = 270
    add_to_admin_menu = True
    list_display = ["term", "equivalents"]
    search_fields = ["term", "equivalents"]
    form_fields = ["term", "equivalents"]


@hooks.register("register_admin_viewset")
def register_synonyms():
    return SynonymViewSet("synonyms")
