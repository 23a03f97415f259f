"""门户网站设置: the footer facts of 国办发〔2017〕47号 (spec §5.1) are validated when saved, with Chinese
messages, and the footer links the 备案 numbers to their registries."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site

from tests import factories
from zwgk.portal.models import PortalSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def row():
    factories.site()
    return PortalSettings(site=Site.objects.get(is_default_site=True), site_name="龙溪县人民政府")


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("icp_number", "X ICP备00000000号（演示）", "ICP备案编号格式应为"),
        ("icp_number", "赣ICP备123号", "ICP备案编号格式应为"),
        ("police_number", "赣公网安备 3607990200000号", "公安机关备案号格式应为"),
        ("police_number", "赣ICP备12345678号", "公安机关备案号格式应为"),
        ("site_code", "36079900", "网站标识码应为10位数字"),
        ("party_mark_url", "https://example.com/mark", "中国机构编制网（conac.cn）"),
        ("party_mark_url", "https://conac.cn.example.com/", "中国机构编制网（conac.cn）"),
    ],
)
def test_invalid_footer_facts_are_refused_in_chinese(row, field, value, message):
    setattr(row, field, value)
    with pytest.raises(ValidationError) as raised:
        row.full_clean()
    assert message in " ".join(raised.value.message_dict[field])


def test_valid_footer_facts_pass_and_are_linked(row, client):
    row.site_code = "3607990001"
    row.icp_number = "赣ICP备00000000号-1"
    row.police_number = "赣公网安备 36079902000000号"
    row.party_mark_url = "https://bszs.conac.cn/sitename?method=show&id=0"
    row.sponsor, row.organiser = "龙溪县人民政府办公室", "龙溪县大数据中心"
    row.full_clean()
    row.save()
    html = client.get("/").content.decode()
    assert (
        '<a class="nowrap" href="https://beian.miit.gov.cn/" rel="noopener">赣ICP备00000000号-1</a>' in html
    )
    assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=36079902000000"' in html
    assert 'href="https://bszs.conac.cn/sitename?method=show&amp;id=0"' in html and "党政机关" in html
    assert "承办单位：龙溪县大数据中心" in html and "政府网站标识码：3607990001" in html
    for url in ("/wzdt/", "/lxwm/"):
        assert client.get(url).status_code == 200
    assert "龙溪县大数据中心" in client.get("/lxwm/").content.decode()
