"""The citizen's side of 互动交流: leave a message (captcha, rate limit, duplicates, attachments, bad
input kept), track it with the 查询码, rate the reply, read the public list with personal data masked —
and no non-public message on any public URL (a crawl of the portal)."""

import datetime as dt
import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests import factories
from tests.interaction.helpers import answer, clerks, county
from zwgk.interaction import services
from zwgk.interaction.models import Message

pytestmark = pytest.mark.django_db
NAME, PHONE, ID = "王晓红", "13912345678", "350102199001011238"


@pytest.fixture
def world():
    factories.site()
    gov, mzj, other, boxes = county()
    return gov, mzj, other, boxes, clerks(gov, mzj, other)


def post_message(client, target, **overrides):
    page = client.get("/hudong/liuyan/")
    value, token = answer(page.content.decode())
    data = {
        "box": target.pk,
        "name": NAME,
        "phone": PHONE,
        "email": "wxh@example.com",
        "subject": "低保申请进度",
        "content": f"我是{NAME}，身份证{ID}，电话{PHONE}，想问低保申请何时审批。",
        "wants_public": "on",
        "token": f"tok-{overrides.get('subject', '')}{len(Message.objects.all())}",
        "captcha_answer": value,
        "captcha_token": token,
    }
    data.update(overrides)
    return client.post("/hudong/liuyan/", data)


def test_leave_message_receipt_track_and_rate(client, world):
    *_, boxes, staff = world
    response = post_message(client, boxes["consult"])
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.events.get().kind == "submitted"
    receipt = client.get(response["Location"]).content.decode()
    assert message.number in receipt and message.query_code in receipt

    # Another browser: the 查询码 is asked for, by POST only.
    other = type(client)()
    wrong = other.post("/hudong/chaxun/", {"number": message.number, "code": "WRONG123"})
    assert wrong.status_code == 400 and "不正确" in wrong.content.decode()
    found = other.post("/hudong/chaxun/", {"number": message.number, "code": message.query_code}, follow=True)
    assert "低保申请进度" in found.content.decode() and "待受理" in found.content.decode()

    services.accept(message, user=staff["xxy"], on=dt.date.today())
    services.draft(message, user=staff["xxy"], text="您好，您的申请正在审核。")
    services.approve(message, user=staff["shenhe"], on=dt.date.today())
    page = other.get("/hudong/chaxun/").content.decode()
    assert "您的申请正在审核" in page and "您对答复满意吗" in page
    other.post("/hudong/chaxun/", {"action": "rate", "rating": "satisfied"})
    message.refresh_from_db()
    assert message.rating == "satisfied"
    again = other.post("/hudong/chaxun/", {"action": "rate", "rating": "dissatisfied"})
    assert again.status_code == 400 and "已评价" in again.content.decode()


def test_wrong_captcha_keeps_the_input(client, world):
    *_, boxes, _ = world
    response = post_message(client, boxes["consult"], captcha_answer="99")
    page = response.content.decode()
    assert response.status_code == 400 and "验证问题回答不正确" in page
    assert "低保申请进度" in page and not Message.objects.exists()


def test_a_captcha_answers_once(client, world):
    *_, boxes, _ = world
    page = client.get("/hudong/liuyan/").content.decode()
    value, token = answer(page)
    base = {"box": boxes["consult"].pk, "name": NAME, "phone": PHONE, "subject": "甲", "content": "乙"}
    first = client.post(
        "/hudong/liuyan/", {**base, "token": "t1", "captcha_answer": value, "captcha_token": token}
    )
    assert first.status_code == 302
    replay = client.post(
        "/hudong/liuyan/", {**base, "token": "t2", "captcha_answer": value, "captcha_token": token}
    )
    assert replay.status_code == 400 and "已使用" in replay.content.decode()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("phone", "", "请填写联系电话"),
        ("phone", "abc", "联系电话格式不正确"),
        ("email", "not-an-email", "电子邮箱格式不正确"),
        ("subject", "", "请填写标题"),
        ("subject", "长" * 101, "标题不能超过100个字"),
        ("content", "", "请填写留言内容"),
        ("box", "999999", "请选择列表中的信箱"),
    ],
)
def test_bad_fields_get_chinese_errors(client, world, field, value, message):
    *_, boxes, _ = world
    response = post_message(client, boxes["consult"], **{field: value})
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert not Message.objects.exists()


@override_settings(ZWGK_UPLOAD_MAX_MB=1)
def test_attachments_screened_and_oversized_refused(client, world):
    *_, boxes, _ = world
    big = SimpleUploadedFile("大文件.txt", b"x" * (1024 * 1024 + 1))
    response = post_message(client, boxes["consult"], attachments=[big])
    assert (
        response.status_code == 400 and "超过上传上限 1 MB（ZWGK_UPLOAD_MAX_MB）" in response.content.decode()
    )
    note = SimpleUploadedFile("材料.txt", f"联系人身份证号{ID}".encode())
    assert post_message(client, boxes["consult"], attachments=[note]).status_code == 302
    attachment = Message.objects.get().attachments.get()
    assert attachment.findings >= 1 and "身份证" in attachment.screening_note


@override_settings(ZWGK_INTERACTION_MAX_PER_HOUR=2)
def test_per_address_rate_limit(client, world):
    *_, boxes, _ = world
    for i in range(2):
        assert post_message(client, boxes["consult"], subject=f"问题{i}").status_code == 302
    third = post_message(client, boxes["consult"], subject="问题3")
    assert third.status_code == 429 and "每小时最多提交2件" in third.content.decode()
    assert "问题3" in third.content.decode() and Message.objects.count() == 2


def test_same_words_are_marked_duplicate_and_kept(world):
    *_, boxes, _ = world
    first, _ = services.submit(boxes["complaint"], subject="路灯不亮", content="人民路路灯 不亮。")
    second, _ = services.submit(boxes["complaint"], subject="路灯不亮", content="人民路路灯不亮")
    third, _ = services.submit(boxes["complaint"], subject="路灯不亮", content="解放路路灯不亮")
    assert second.duplicate_of == first and third.duplicate_of is None
    assert Message.objects.count() == 3


def test_error_report_prefilled_and_handled_on_the_error_box_clock(client, world):
    *_, boxes, _ = world
    page = client.get("/hudong/jiucuo/", {"url": "http://localhost/ywdt/a/"}).content.decode()
    assert 'value="http://localhost/ywdt/a/"' in page
    value, token = answer(page)
    response = client.post(
        "/hudong/jiucuo/",
        {
            "page_url": "http://localhost/ywdt/a/",
            "error_type": "错别字",
            "description": "第二段“公开”写成了“公升”。",
            "token": "err-1",
            "captcha_answer": value,
            "captcha_token": token,
        },
    )
    assert response.status_code == 302
    report = Message.objects.get()
    assert report.box == boxes["error"] and report.reply_days == 3 and report.error_type == "错别字"
    footer = client.get("/").content.decode()
    assert "政府网站找错" in footer and "/hudong/jiucuo/" in footer


def _answered_public(boxes, staff, *, wants_public=True, subject="低保申请进度"):
    message, _ = services.submit(
        boxes["consult"],
        subject=subject,
        content=f"我是{NAME}，身份证{ID}，电话{PHONE}。",
        name=NAME,
        phone=PHONE,
        wants_public=wants_public,
    )
    services.accept(message, user=staff["xxy"], on=dt.date.today())
    services.draft(message, user=staff["xxy"], text=f"{NAME}您好，已电话{PHONE}联系您。")
    services.approve(message, user=staff["shenhe"], on=dt.date.today(), publish=wants_public)
    message.refresh_from_db()
    return message


def test_public_list_shows_masked_texts_only(client, world):
    *_, boxes, staff = world
    message = _answered_public(boxes, staff)
    assert message.published
    listing = client.get("/hudong/liuyan/gongkai/").content.decode()
    assert "低保申请进度" in listing
    page = client.get(f"/hudong/liuyan/gongkai/{message.number}/").content.decode()
    assert "王**" in page and "139****5678" in page and "35**************38" in page
    for secret in (NAME, PHONE, ID):
        assert secret not in page and secret not in listing
    search = client.get("/hudong/liuyan/gongkai/", {"q": "低保"}).content.decode()
    assert message.number in search
    assert client.get("/hudong/liuyan/gongkai/", {"page": "x" * 300, "box": "-1"}).status_code == 200


def test_no_non_public_message_on_any_public_url(client, world):
    """Crawl every link of the portal from the home page and the 互动交流 pages: the words of messages
    that are not public (not answered, not agreed, or 不予受理) appear nowhere."""
    *_, boxes, staff = world
    public = _answered_public(boxes, staff)
    hidden = _answered_public(boxes, staff, wants_public=False, subject="不公开的私事甲")
    pending, _ = services.submit(
        boxes["complaint"], subject="未办结的私事乙", content="秘密内容丙", name="李四"
    )
    rejected, _ = services.submit(boxes["complaint"], subject="不予受理的私事丁", content="秘密内容戊")
    services.reject(rejected, user=staff["xxy"], on=dt.date.today(), reason="重复")
    secrets = [hidden.subject, hidden.number, pending.subject, pending.number, "秘密内容", NAME, PHONE, ID]
    assert client.get(f"/hudong/liuyan/gongkai/{hidden.number}/").status_code == 404
    assert client.get(f"/hudong/liuyan/gongkai/{pending.number}/").status_code == 404

    seen, queue = (
        set(),
        ["/", "/hudong/", "/hudong/liuyan/gongkai/", "/search/?q=私事", "/hudong/liuyan/gongkai/?q=私事"],
    )
    while queue and len(seen) < 300:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for secret in secrets:
            assert secret not in html, f"{secret} on {url}"
        for href in re.findall(r'href="([^"#]+)"', html):
            target = urljoin(url, href.replace("&amp;", "&"))
            parsed = urlparse(target)
            if parsed.netloc in ("", "testserver", "localhost") and not parsed.path.startswith(
                ("/admin", "/static", "/documents", "/media", "/hudong/jiucuo/")  # one form per page
            ):
                queue.append(parsed.path + (f"?{parsed.query}" if parsed.query else ""))
    assert f"/hudong/liuyan/gongkai/{public.number}/" in seen
