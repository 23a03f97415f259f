"""The citizen's side (issue #3): apply without an account, receipt, tracking, letters — and no
personal data on any public page."""

import io
import re
import threading

import docx
import pytest
from django.db import connections
from django.utils import timezone

from tests import factories
from zwgk.applications import services
from zwgk.applications.models import Application
from zwgk.core import roles

pytestmark = pytest.mark.django_db
ID = "350102199001011238"
NAME = "张晓明"
PHONE = "13912345678"


def form_data(org, **overrides):
    data = {
        "organisation": org.pk,
        "applicant_type": "自然人",
        "applicant_name": NAME,
        "id_type": "居民身份证",
        "id_number": ID,
        "phone": PHONE,
        "address": "龙溪县人民路8号",
        "email": "zxm@example.com",
        "description": "2024年城乡低保资金发放明细",
        "form_wanted": "电子",
        "delivery": "电子邮件",
        "token": "tok-1",
    }
    data.update(overrides)
    return data


@pytest.fixture
def org():
    organisation = factories.organisation(name="龙溪县民政局", slug="mzj")
    factories.site()
    return organisation


def test_apply_receipt_and_double_submit_creates_one(client, org):
    response = client.post("/ysqgk/", form_data(org))
    assert response.status_code == 302
    client.post("/ysqgk/", form_data(org))  # the same form submitted twice
    assert Application.objects.count() == 1
    application = Application.objects.get()
    assert application.status == "unconfirmed" and application.received_on is None
    html = client.get("/ysqgk/receipt/").content.decode()
    assert application.number in html and application.query_code in html


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"id_number": ID[:17] + "9"}, "id_number", "校验码"),
        ({"applicant_type": "商业企业"}, "id_type", "统一社会信用代码"),
        (
            {"applicant_type": "商业企业", "id_type": "统一社会信用代码", "id_number": "11441700007280420X"},
            "id_number",
            "统一社会信用代码不正确",
        ),
        ({"phone": "12345"}, "phone", "联系电话格式不正确"),
        ({"description": ""}, "description", "请描述"),
        ({"delivery": "邮寄", "address": ""}, "address", "邮寄"),
    ],
)
def test_bad_fields_get_chinese_errors_and_nothing_is_lost(client, org, overrides, field, message):
    response = client.post("/ysqgk/", form_data(org, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert any(message in e for e in response.context["form"].errors[field])
    assert (
        "2024年城乡低保资金发放明细" in response.content.decode() or field == "description"
    )  # typed text kept
    assert Application.objects.count() == 0


def test_tracking_needs_the_query_code_and_serves_the_letter(client, org):
    clerk = factories.staff("clerk", org, roles.INFORMANT, roles.APPLICATION_REVIEW)
    application, _ = services.submit_online(
        org,
        applicant_type="自然人",
        applicant_name=NAME,
        phone=PHONE,
        description="某信息",
        idempotency_key="k",
    )
    services.confirm(application, on=timezone.localdate(), user=clerk)
    event = services.reply(
        application,
        on=timezone.localdate(),
        user=clerk,
        result="partial",
        legal_basis="《中华人民共和国政府信息公开条例》第三十七条",
    )
    wrong = client.post("/ysqgk/track/", {"number": application.number, "code": "WRONG"})
    assert "不正确" in wrong.content.decode() and NAME not in wrong.content.decode()
    posted = client.post("/ysqgk/track/", {"number": application.number, "code": application.query_code})
    assert posted.status_code == 302
    ok = client.get("/ysqgk/track/")
    html = ok.content.decode()
    assert "部分公开" in html and 'content="noindex, nofollow"' in html
    assert ok["X-Robots-Tag"].startswith("noindex") and "no-cache" in ok["Cache-Control"]
    assert "Disallow: /ysqgk/track/" in client.get("/robots.txt").content.decode()
    letter = client.get(f"/ysqgk/track/letter/{event.pk}/")
    assert letter["X-Robots-Tag"].startswith("noindex")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(b"".join(letter.streaming_content))).paragraphs)
    assert "部分公开" in text and application.number in text
    client.post("/ysqgk/track/", {"action": "forget"})
    assert client.get(f"/ysqgk/track/letter/{event.pk}/").status_code == 404


def test_no_public_page_leaks_applicant_data(client, org):
    """Crawl every public link from the home page: the applicant's name, ID and phone appear nowhere."""
    services.submit_online(
        org,
        applicant_type="自然人",
        applicant_name=NAME,
        id_type="居民身份证",
        id_number=ID,
        phone=PHONE,
        description="某信息",
        idempotency_key="k2",
    )
    seen, queue = set(), ["/", "/ysqgk/", "/ysqgk/track/", "/sitemap.xml", "/wzdt/", "/search/?q=张晓明"]
    while queue and len(seen) < 200:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        body = response.content.decode(errors="ignore")
        for secret in (NAME, ID, PHONE):
            assert secret not in body or url.startswith("/search/?q="), (url, secret)
        queue.extend(
            u
            for u in re.findall(r'href="(/[^"#]*)"', body)
            if not u.startswith(("/admin", "/static", "/documents"))
        )
    assert len(seen) > 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_application_numbers_are_unique_under_concurrency():
    organisation = factories.organisation(name="龙溪县民政局", slug="mzj2")
    numbers, errors = [], []
    barrier = threading.Barrier(6)

    def worker(i):
        try:
            barrier.wait()
            application, _ = services.submit_online(
                organisation, applicant_type="自然人", description=str(i), idempotency_key=f"c{i}"
            )
            numbers.append(application.number)
        except Exception as error:  # pragma: no cover
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(numbers)) == 6
    assert sorted(n[-5:] for n in numbers) == [f"{i:05d}" for i in range(1, 7)]
