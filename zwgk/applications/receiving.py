"""Who may receive applications (条例第二十七条) and which information several applicants want (第四十四条)."""

from zwgk.core.models import Organisation

from .fees import applicant_key
from .vocab import Status

CLOSING_KINDS = (Organisation.Kind.TOWNSHIP, Organisation.Kind.SUBDISTRICT)


def can_receive(organisation) -> bool:
    """条例第二十七条: applications go to 地方各级人民政府 and to 县级以上人民政府部门 acting in their own name
    (with the 派出机构、内设机构 of Art. 10(2)). A township's internal departments never can; any organ
    marked in 依申请公开机关设置 as not receiving (a department's internal body) cannot either."""
    parent = organisation.parent
    if parent is not None and parent.kind in CLOSING_KINDS:
        return False
    rules = getattr(organisation, "application_settings", None)
    return rules is None or rules.accepts_applications


def receiving_organisations(queryset=None):
    """The organs the citizen's form and the registration offer (Art. 27)."""
    queryset = Organisation.objects.all() if queryset is None else queryset
    return queryset.exclude(parent__kind__in=CLOSING_KINDS).exclude(
        application_settings__accepts_applications=False
    )


SUPPLEMENT_DAYS = 15  # [M] the 补正 period when the organ sets none (条例第三十条: “合理的补正期限”)
PROACTIVE_APPLICANTS = 2  # 条例第四十四条 “多个申请人”: two or more


def supplement_days(organisation) -> int:
    """The 补正 period a 补正告知书 gives (条例第三十条 “合理的补正期限”, [M]): the organ's own setting in
    依申请公开机关设置, else 15 working days."""
    rules = getattr(organisation, "application_settings", None)
    if rules is not None and rules.supplement_days:
        return rules.supplement_days
    return SUPPLEMENT_DAYS


DISCLOSABLE = ("granted", "partial")


def proactive_candidates(applications, threshold: int = PROACTIVE_APPLICANTS) -> list[dict]:
    """条例第四十四条: the same information requested by several applicants from the same organ and disclosable
    may be moved into 主动公开. Groups of `applications` by organ and 所申请信息（归并名称）, answered
    予以公开 or 部分公开, with at least `threshold` (two) different applicants."""
    groups: dict = {}
    for application in (
        applications.exclude(information_item="")
        .filter(result__in=DISCLOSABLE, status__in=(Status.REPLIED, Status.CLOSED))
        .select_related("organisation")
        .order_by("organisation__path", "information_item", "received_on")
    ):
        group = groups.setdefault(
            (application.organisation_id, application.information_item.strip()),
            {
                "organisation": application.organisation,
                "item": application.information_item.strip(),
                "applications": [],
                "applicants": set(),
            },
        )
        group["applications"].append(application)
        group["applicants"].add(applicant_key(application))
    rows = [
        dict(g, applicants=len(g["applicants"])) for g in groups.values() if len(g["applicants"]) >= threshold
    ]
    return sorted(rows, key=lambda g: (-g["applicants"], g["item"]))
