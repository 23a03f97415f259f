"""A site's organ and subtree: everything monitoring computes is per Wagtail `Site` and its root's pages."""

from django.core.exceptions import FieldError
from django.db.models import Q
from django.db.models.functions import Length
from wagtail.models import Site

from zwgk.core.models import Organisation
from zwgk.core.scoping import scope_for
from zwgk.disclosure.models import ArticlePage, PolicyDocumentPage


def under(page, prefix: str = "") -> Q:
    """Pages in `page`'s subtree (itself included) as a range on the materialised path: unlike
    `path__startswith` (LIKE … ESCAPE) the range uses the path index on SQLite and PostgreSQL alike, so a
    site's queries do not scan every site's pages."""
    return Q(**{f"{prefix}path__gte": page.path, f"{prefix}path__lt": page._inc_path()})


def site_label(site: Site) -> str:
    """The site as the inspection names it: its domain (with the port when it is not 80)."""
    return site.hostname if site.port in (80, 443) else f"{site.hostname}:{site.port}"


def site_organisation(site: Site) -> Organisation | None:
    """The organ that runs the site: the one named in the site's settings (网站主办机关) when the
    installation has that field, else the top-most organ among the site's live items."""
    try:
        named = Organisation.objects.filter(portal_settings__site=site).first()
    except FieldError:  # an installation without per-site organs
        named = None
    if named is not None:
        return named
    root = site.root_page
    ids = set()
    for model in (ArticlePage, PolicyDocumentPage):
        live = model.objects.live().filter(under(root)).exclude(organisation=None)
        ids |= set(live.order_by().values_list("organisation_id", flat=True).distinct())
    candidates = Organisation.objects.filter(pk__in=ids).annotate(plen=Length("path"))
    return candidates.order_by("plen", "path").first()


def page_url(site: Site, url_path: str) -> str:
    """The public address of a page of `site` from its url_path (`/home/ywdt/x/` → `http://host/ywdt/x/`)."""
    root_path = site.root_page.url_path
    relative = url_path[len(root_path) - 1 :] if url_path.startswith(root_path) else url_path
    return site.root_url.rstrip("/") + relative


def sites_for(user):
    """The sites a staff member sees: those whose organ is inside their subtree (superusers: all)."""
    sites = list(Site.objects.select_related("root_page").order_by("hostname", "port"))
    if getattr(user, "is_superuser", False):
        return sites
    allowed = set(scope_for(user).values_list("pk", flat=True))
    result = []
    for site in sites:
        org = site_organisation(site)
        if org is not None and org.pk in allowed:
            result.append(site)
    return result
