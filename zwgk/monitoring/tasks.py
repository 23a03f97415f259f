"""Background work: a probe round, a link-check run and the daily monitoring digest (schedule: docs/monitoring.md)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task
from wagtail.models import Site

from zwgk.core.models import Organisation
from zwgk.core.roles import ADMINISTRATOR

from . import linkcheck, prober
from .sites import site_organisation
from .warnings import STATUS_WORDS, warnings_for


@task()
def probe_sites() -> int:
    """One probe round over every site (enqueue hourly: ≥ 20 probes a day, 19号)."""
    return len(prober.run().sites_done)


@task()
def check_links() -> int:
    """Check every live page's links (enqueue daily); resumes an interrupted run."""
    return linkcheck.run().done


def recipients(organisation) -> list:
    """The organ's staff and the 管理员 of the organ and of the organs above it."""
    User = get_user_model()
    above = Organisation.objects.filter(pk__in=[int(p) for p in organisation.path.strip("/").split("/") if p])
    staff = User.objects.filter(is_active=True, staff_profile__organisation=organisation)
    admins = User.objects.filter(
        is_active=True, staff_profile__organisation__in=above, groups__name=ADMINISTRATOR
    )
    return list((staff | admins).distinct().exclude(email=""))


def digest_lines(rows) -> list[str]:
    return [
        f"【{STATUS_WORDS.get(r['status'], r['status'])}】{r['where']} {r['what']}：{r['detail']} {r['url']}"
        for r in rows
    ]


@task()
def send_monitoring_digest() -> int:
    """Mail each site's organ staff and 管理员 the site's and the organ's accounts' warnings; returns mails sent."""
    by_user: dict = {}
    for site in Site.objects.select_related("root_page"):
        organisation = site_organisation(site)
        if organisation is None:
            continue
        rows = warnings_for([site], Organisation.objects.filter(pk=organisation.pk))
        if not rows:
            continue
        for user in recipients(organisation):
            by_user.setdefault(user, []).extend(rows)
    today = timezone.localdate()
    for user, rows in by_user.items():
        send_mail(
            f"网站与新媒体监测预警（{today:%Y-%m-%d}）",
            "\n".join(digest_lines(rows)),
            getattr(settings, "DEFAULT_FROM_EMAIL", None),
            [user.email],
        )
    return len(by_user)
