"""Policy library filters (发布机构, year, 文种, 有效性) shared by the portal page and tests."""

from django.apps import apps
from django.db.models import Q
from django.db.models.functions import ExtractYear

from zwgk.core.models import Organisation
from zwgk.core.params import choice_param, text_param, year_param

from .vocab import DocumentKind, Validity


def under(page):
    """Pages below `page`: `descendant_of` without its depth range.

    Wagtail adds `depth >= n`; at 450,000 items SQLite's planner then walked the (depth, …) index over
    every item (0.6 s) instead of starting from the 160 policy documents.
    """
    return Q(path__startswith=page.path) & ~Q(pk=page.pk)


def _documents():
    """Live 政策文件 (the model by name: models.py imports this module for its PolicyLibraryPage)."""
    return apps.get_model("disclosure", "PolicyDocumentPage").objects.live()


def filter_documents(library, params):
    """Return (filters for the template, queryset of live documents) for the query parameters."""
    documents = (
        _documents()
        .filter(under(library))
        .select_related("organisation")
        .order_by("-first_published_at", "-id")
    )
    org, org_error = text_param(params, "org", label="发布机构")
    year, year_error = year_param(params, "year", label="成文年份")
    kind, kind_error = choice_param(params, "kind", DocumentKind.values, label="文种")
    validity, validity_error = choice_param(params, "validity", Validity.values, label="有效性")
    selected = {"org": org, "year": str(year or ""), "kind": kind, "validity": validity}
    if org:
        documents = documents.filter(organisation__slug=org)
    if year:
        documents = documents.filter(written_date__year=year)
    if kind:
        documents = documents.filter(doc_kind=kind)
    if validity:
        documents = documents.filter(validity=validity)
    years = (
        _documents()
        .filter(under(library))
        .exclude(written_date=None)
        .annotate(y=ExtractYear("written_date"))
        .values_list("y", flat=True)
        .distinct()
        .order_by("-y")
    )
    org_ids = _documents().values_list("organisation_id", flat=True).distinct()
    filters = {
        "selected": selected,
        "organisations": Organisation.objects.filter(pk__in=org_ids),
        "years": list(years),
        "kinds": DocumentKind.choices,
        "validities": Validity.choices,
        "errors": [e for e in (org_error, year_error, kind_error, validity_error) if e],
    }
    return filters, documents
