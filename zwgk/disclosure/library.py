"""Policy library filters (发布机构, year, 文种, 有效性) shared by the portal page and tests."""

from django.db.models.functions import ExtractYear

from zwgk.core.models import Organisation

from .vocab import DocumentKind, Validity


def filter_documents(library, params):
    """Return (filters for the template, queryset of live documents) for the query parameters."""
    from .models import PolicyDocumentPage

    documents = (
        PolicyDocumentPage.objects.live()
        .descendant_of(library)
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
        .descendant_of(library)
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
