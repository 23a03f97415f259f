"""Public pages under /hudong/zhengji/: the list, the draft in numbered articles, the comment form with
its questionnaire, rate limit and screening; no commenter's personal data on any public page."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests import factories
from zwgk.interaction.consultations import services
from zwgk.interaction.consultations.models import Comment, Question

from .helpers import consultation, end_window, people

pytestmark = pytest.mark.django_db
ID_NUMBER = "11010519491231002X"


@pytest.fixture
def p():
    factories.site()
    return people()


def _public_pages(client, c):
    return [
        client.get(url).content.decode()
        for url in (
            reverse("consultations:list"),
            reverse("consultations:list") + "?tab=ended",
            reverse("consultations:list") + "?tab=feedback",
            reverse("consultations:detail", args=[c.pk]),
        )
    ]


def test_list_tabs_and_draft_split_into_articles(client, p):
    open_ = consultation(p["county"], p["clerk"])
    ended = consultation(p["county"], p["clerk"], open_=False, title="已结束的征集")
    draft = services.create(
        organisation=p["county"], user=p["clerk"], **{k: getattr(open_, k) for k in services.EDITABLE_FIELDS}
    )
    draft.title = "未发布的征集"
    draft.save()
    html = client.get(reverse("consultations:list")).content.decode()
    assert open_.title in html and "已结束的征集" not in html and "未发布的征集" not in html
    assert "已结束的征集" in client.get(reverse("consultations:list") + "?tab=ended").content.decode()
    assert client.get(reverse("consultations:detail", args=[draft.pk])).status_code == 404
    detail = client.get(reverse("consultations:detail", args=[open_.pk])).content.decode()
    assert 'id="article-3"' in detail and "对第三条提意见" in detail and "起草说明" in detail
    form = client.get(reverse("consultations:detail", args=[open_.pk]) + "?article=3").content.decode()
    assert '<option value="3" selected>第三条</option>' in form
    assert ended.pk


@pytest.mark.parametrize("query", ["?tab=xyz", "?page=abc", "?tab=%00", "?page=99999999999999999999999"])
def test_bad_list_parameters_give_a_chinese_message_not_500(client, p, query):
    response = client.get(reverse("consultations:list") + query)
    assert response.status_code == 400
    assert "已忽略" in response.content.decode() or "参数无效" in response.content.decode()


def test_comment_with_an_id_number_is_never_shown_publicly(client, p):
    c = consultation(p["county"], p["clerk"])
    url = reverse("consultations:detail", args=[c.pk])
    response = client.post(
        url,
        {
            "article": "3",
            "body": f"我的身份证号{ID_NUMBER}，建议第三条公示收费标准。",
            "name": "张三丰",
            "contact": "13800138000",
        },
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.article == 3 and comment.blocked and ID_NUMBER not in comment.public_text
    for html in _public_pages(client, c):  # pending: nothing of it is public
        assert ID_NUMBER not in html and "张三丰" not in html and "公示收费标准" not in html
    services.moderate(comment, user=p["clerk"], approve=True)
    pages = _public_pages(client, c)
    assert "公示收费标准" in pages[-1] and "针对第三条" in pages[-1]
    for html in pages:
        assert ID_NUMBER not in html and "张三丰" not in html and "13800138000" not in html
    # Through the 采纳情况 too: the opinion is the masked text.
    c = end_window(c)
    feedback = services.save_feedback(
        c,
        user=p["clerk"],
        summary="收到1条意见。",
        items=[{"opinion": comment.public_text, "decision": "adopted", "comments": [comment]}],
    )
    services.submit_feedback(feedback, user=p["clerk"])
    for reviewer in ("chushen", "fushen", "zhongshen"):
        services.review_feedback(feedback, user=p[reviewer], approve=True)
    pages = _public_pages(client, c)
    assert "意见采纳情况" in pages[-1] and "采纳" in pages[-1]
    for html in pages:
        assert ID_NUMBER not in html and "张三丰" not in html


def test_organ_may_keep_comments_unpublished(client, p):
    c = consultation(p["county"], p["clerk"], publish_comments=False)
    comment = services.submit_comment(c, body="一条不公开的意见。")
    services.moderate(comment, user=p["clerk"], approve=True)
    assert "一条不公开的意见" not in client.get(reverse("consultations:detail", args=[c.pk])).content.decode()


def test_bad_comment_input_gives_chinese_errors_and_keeps_the_text(client, p):
    c = consultation(p["county"], p["clerk"])
    Question.objects.create(
        consultation=c, text="您是否支持该办法？", kind="single", options_text="支持\n不支持", required=True
    )
    Question.objects.create(
        consultation=c, text="您常用的停车方式？", kind="multiple", options_text="路边\n停车场"
    )
    url = reverse("consultations:detail", args=[c.pk])
    response = client.post(url, {"article": "99", "body": "", "name": "x" * 61, "contact": "c"})
    html = response.content.decode()
    assert response.status_code == 400
    for message in (
        "请选择征求意见稿中的条款。",
        "请填写意见内容。",
        "姓名不能超过60个字。",
        "请回答：您是否支持该办法？",
    ):
        assert message in html
    response = client.post(url, {"body": "保留这段文字", f"q{c.questions.first().pk}": "也许"})
    assert (
        "保留这段文字" in response.content.decode() and "请从给出的选项中选择。" in response.content.decode()
    )
    single, multiple = c.questions.all()
    response = client.post(
        url, {"body": "好", f"q{single.pk}": "支持", f"q{multiple.pk}": ["路边", "停车场"]}
    )
    assert response.status_code == 302
    assert Comment.objects.get().answers == {
        "您是否支持该办法？": "支持",
        "您常用的停车方式？": ["路边", "停车场"],
    }
    assert not Comment.objects.filter(body="").exists()


@override_settings(ZWGK_CONSULTATION_COMMENTS_PER_HOUR=2)
def test_comments_are_rate_limited_per_address(client, p):
    c = consultation(p["county"], p["clerk"])
    url = reverse("consultations:detail", args=[c.pk])
    assert client.post(url, {"body": "一"}).status_code == 302
    assert client.post(url, {"body": "二"}).status_code == 302
    response = client.post(url, {"body": "三"})
    assert response.status_code == 429 and "过于频繁" in response.content.decode()
    assert "三" in response.content.decode()  # the text is kept
    assert Comment.objects.count() == 2


def test_no_comments_after_the_window(client, p):
    c = consultation(p["county"], p["clerk"], open_=False)
    response = client.post(reverse("consultations:detail", args=[c.pk]), {"body": "迟到的意见"})
    assert response.status_code == 409 and "不在征集期内" in response.content.decode()
    assert not Comment.objects.exists()
