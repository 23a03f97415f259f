"""Small builders for tests: organisations, staff, a site with a column and a policy library."""

import itertools
import random

from django.contrib.auth.models import Group, User
from wagtail.models import Page, Site

from zwgk.core.models import Organisation, StaffProfile
from zwgk.demo.people import make_credit_code

_counter = itertools.count(1)
_rng = random.Random(7)


def organisation(parent=None, name=None, **kwargs):
    n = next(_counter)
    return Organisation.objects.create(
        parent=parent,
        name=name or f"测试机关{n}",
        slug=kwargs.pop("slug", f"org{n}"),
        credit_code=kwargs.pop("credit_code", make_credit_code(_rng)),
        **kwargs,
    )


def staff(username, org, *roles, superuser=False):
    user = User.objects.create_user(
        username=username, password="pw-123456", is_staff=True, is_superuser=superuser
    )
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    StaffProfile.objects.create(user=user, organisation=org)
    return user


def site():
    """Home → 要闻动态 column and 政策文件库, the default site."""
    from zwgk.disclosure.models import ColumnPage, HomePage, PolicyLibraryPage

    root = Page.get_first_root_node()
    if root is None:  # a transactional test flushed the rows Wagtail's migrations created
        root = _recreate_wagtail_roots()
    for child in root.get_children():
        if child.specific_class is Page:
            child.delete()
    home = root.add_child(instance=HomePage(title="测试县人民政府", slug="home", live=True))
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    column = home.add_child(instance=ColumnPage(title="要闻动态", slug="ywdt", column_type="news", live=True))
    library = home.add_child(instance=PolicyLibraryPage(title="政策文件库", slug="zcwjk", live=True))
    return home, column, library


def _recreate_wagtail_roots():
    from django.conf import settings
    from wagtail.models import Collection, Locale

    from zwgk.disclosure.setup import install_defaults

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    from zwgk.disclosure.setup import ROOT_TITLE

    # Titled as a migrated installation's root is (Wagtail logs its creation: no English "Root" in 站点历史).
    root = Page.add_root(instance=Page(title=ROOT_TITLE, slug="root", live=True))
    install_defaults()
    return root
