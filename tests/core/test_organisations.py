"""The 机关 tree: materialised paths follow moves, cycles are refused (staff scoping relies on it)."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_paths_and_subtree():
    county = factories.organisation(name="县政府")
    office = factories.organisation(parent=county, name="县政府办")
    unit = factories.organisation(parent=office, name="县政务公开办")
    assert unit.path == f"/{county.pk}/{office.pk}/{unit.pk}/"
    assert unit.depth == 3
    assert set(county.subtree()) == {county, office, unit}
    assert list(unit.ancestors()) == [county, office, unit]


def test_moving_an_organisation_moves_its_subtree():
    county = factories.organisation(name="县政府")
    a = factories.organisation(parent=county, name="甲局")
    b = factories.organisation(parent=county, name="乙局")
    child = factories.organisation(parent=a, name="甲局下属中心")
    a.parent = b
    a.save()
    child.refresh_from_db()
    assert child.path == f"/{county.pk}/{b.pk}/{a.pk}/{child.pk}/"
    assert child in b.subtree()


def test_cycles_are_refused():
    county = factories.organisation(name="县政府")
    a = factories.organisation(parent=county, name="甲局")
    county.parent = a
    with pytest.raises(ValueError):
        county.save()
