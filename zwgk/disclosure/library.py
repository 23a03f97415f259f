"""Policy library filters (发布机构, year, 文种, 有效性) shared by the portal page and tests."""

from django.db.models import Q
from django.db.models.functions import ExtractYear

from zwgk.core.models import Organisation

from .vocab import DocumentKind, Validity


def under(page):
    """Pages below `page`: `descendant_of` without its depth range.

    Wagtail adds `depth >= n`; at 450,000 items SQLite's planner then walked the (depth, …) index over
    every item (0.6 s) instead of starting from the 160 policy documents.
    """
    return Q(path__startswith=page.path) & ~Q(pk=page.pk)


def filter_documents(library, params):
    """Return (filters for the template, queryset of live documents) for the query parameters."""
    from .models import PolicyDocumentPage

    documents = (
        PolicyDocumentPage.objects.live()
        .filter(under(library))
        .select_related("organisation")
        .order_by("-first_published_at", "-id")
    )
    selected = {
        "org": params.get("org", ""),
        "year": params.get("year", ""),
        "kind": params.get("kind", ""),
        "validity": params.get("validity", ""),
    }
    if selected["org"]:
        documents = documents.filter(organisation__slug=selected["org"])
    if selected["year"].isdigit():
        documents = documents.filter(written_date__year=int(selected["year"]))
    if selected["kind"] in DocumentKind.values:
        documents = documents.filter(doc_kind=selected["kind"])
    if selected["validity"] in Validity.values:
        documents = documents.filter(validity=selected["validity"])
    years = (
        PolicyDocumentPage.objects.live()
        .filter(under(library))
        .exclude(written_date=None)
        .annotate(y=ExtractYear("written_date"))
        .values_list("y", flat=True)
        .distinct()
        .order_by("-y")
    )
    org_ids = PolicyDocumentPage.objects.live().values_list("organisation_id", flat=True).distinct()
    filters = {
        "selected": selected,
        "organisations": Organisation.objects.filter(pk__in=org_ids),
        "years": list(years),
        "kinds": DocumentKind.choices,
        "validities": Validity.choices,
    }
    return filters, documents
