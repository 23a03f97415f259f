"""Demo 标准目录: the county adopts a few areas and binds their items to its columns; a township adopts
two areas and has bound nothing yet (its 应公开未公开 list shows on its dashboard)."""

from wagtail.models import Site

from zwgk.catalog import services
from zwgk.catalog.models import CatalogItem
from zwgk.disclosure.models import ColumnPage
from zwgk.disclosure.vocab import StatutoryCategory

COUNTY_AREAS = ("04", "21", "26")
TOWNSHIP_AREAS = ("21", "24")
# item code → (column slugs, 法定主动公开内容 categories)
BINDINGS = {
    "04-01": (("czyjs",), ()),
    "04-02": (("czyjs",), ()),
    "04-03": ((), (StatutoryCategory.C07,)),
    "04-04": ((), (StatutoryCategory.C07,)),
    "21-01": ((), (StatutoryCategory.C11,)),
    "21-03": ((), (StatutoryCategory.C11,)),
    "26-01": (("tzgg",), ()),
    "26-04": (("czyjs",), ()),
}


def create_demo_catalog(orgs: dict) -> int:
    """Adopt and bind; returns the number of 标准目录 items created."""
    county = orgs["xzf"]
    for code in COUNTY_AREAS:
        services.adopt_area(county, code)
    site = Site.objects.get(is_default_site=True)
    columns = {c.slug: c for c in ColumnPage.objects.descendant_of(site.root_page)}
    items = {i.code: i for i in CatalogItem.objects.filter(organisation=county)}
    for code, (slugs, categories) in BINDINGS.items():
        services.bind_item(items[code], columns=[columns[s] for s in slugs], categories=categories)
    township = orgs["cgz"]  # 城关镇: its 信息员 cgz_xxy sees what is left to bind
    for code in TOWNSHIP_AREAS:
        services.adopt_area(township, code)
    return CatalogItem.objects.count()
