"""The 新媒体 register (issue 22) and its publishing history imported from CSV."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests import factories
from zwgk.monitoring import services
from zwgk.monitoring.models import AccountStatus, NewMediaAccount, NewMediaPost

pytestmark = pytest.mark.django_db


@pytest.fixture
def organs():
    county = factories.organisation(name="丁县人民政府")
    bureau = factories.organisation(parent=county, name="丁县教育局")
    other = factories.organisation(name="戊县人民政府")
    return county, bureau, other


def test_register_change_and_close_are_audited_and_scoped(organs):
    county, bureau, other = organs
    clerk = factories.staff("jy_xxy", bureau, "信息员")
    account = services.save_account(
        NewMediaAccount(
            organisation=bureau, name="丁县教育", platform="weibo", account_id="dxjy", sponsor="丁县教育局"
        ),
        user=clerk,
    )
    account.name = "丁县教育发布"
    services.save_account(account, user=clerk)
    services.close_account(account, user=clerk, closed_on=dt.date(2026, 11, 1))
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED
    with pytest.raises(ValidationError):
        services.close_account(account, user=clerk)
    with pytest.raises(PermissionDenied):
        services.save_account(
            NewMediaAccount(
                organisation=other, name="外县", platform="wechat", account_id="wx", sponsor="戊县"
            ),
            user=clerk,
        )
    from wagtail.models import ModelLogEntry

    actions = list(ModelLogEntry.objects.filter(object_id=str(account.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["zwgk.newmedia.change", "zwgk.newmedia.close", "zwgk.newmedia.create"]


def test_csv_import_of_posts(organs):
    county, bureau, other = organs
    clerk = factories.staff("jy_xxy2", bureau, "信息员")
    mine = NewMediaAccount.objects.create(
        organisation=bureau, name="丁县教育", platform="wechat", account_id="dxjy", sponsor="丁县教育局"
    )
    NewMediaAccount.objects.create(
        organisation=other, name="外县", platform="wechat", account_id="wx", sponsor="戊县"
    )
    csv_text = (
        "平台,账号ID,发布日期,标题,链接\n"
        "微信公众号,dxjy,2026-11-20,秋季开学通知,https://mp.weixin.qq.com/s/1\n"
        "微信公众号,dxjy,2026-11-21,招生政策解读,\n"
        "微信公众号,wx,2026-11-21,外县消息,\n"
        "微信公众号,none,2026-11-21,未登记,\n"
        "微博,dxjy,21/11/2026,日期错,\n"
        "抖音号,dxjy,2026-11-21,平台错,\n"
    )
    result = services.import_posts(csv_text.encode("gb18030"), user=clerk)
    assert result["created"] == 2 and len(result["errors"]) == 4
    assert any("第4行" in e and "不属于本机关" in e for e in result["errors"])
    assert any("第5行" in e and "未登记" in e for e in result["errors"])
    again = services.import_posts(csv_text.encode("utf-8"), user=clerk)
    assert again["created"] == 0 and again["skipped"] == 2
    assert NewMediaPost.objects.filter(account=mine).count() == 2
    with pytest.raises(ValidationError, match="缺少列"):
        services.import_posts("平台,标题\n微博,x\n".encode(), user=clerk)


def test_demo_register_has_83_accounts_some_stale():
    import random

    from zwgk.demo.monitoring import create_demo_monitoring
    from zwgk.monitoring.indicators import account_report

    orgs = {f"o{n}": factories.organisation() for n in range(20)}
    assert create_demo_monitoring(orgs, dt.date(2026, 12, 1), random.Random(1)) == 83
    assert NewMediaAccount.objects.count() == 83
    open_accounts = NewMediaAccount.objects.filter(status=AccountStatus.OPEN)
    stale = [
        a
        for a in open_accounts
        if account_report(a, dt.date(2026, 12, 1))["indicators"][0]["status"] == "fail"
    ]
    assert 3 <= len(stale) <= 15 and NewMediaPost.objects.count() > 83 * 10
