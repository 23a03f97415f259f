"""Login throttling (django-axes), password rules and the idle back-office session."""

import time

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests import factories
from zwgk.core import roles
from zwgk.core.models import AccessEvent
from zwgk.core.security import LAST_SEEN
from zwgk.demo.people import DEMO_PASSWORD, STAFF

PASSWORD = "pw-123456"
pytestmark = pytest.mark.django_db


@pytest.fixture
def informant():
    return factories.staff("cgz_xxy", factories.organisation(), roles.INFORMANT)


def _login(client, username, password, ip="192.0.2.10"):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_wagtail_login_form_still_logs_in(client, informant):
    response = _login(client, "cgz_xxy", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_client_login_without_request_still_works(client, informant):
    assert client.login(username="cgz_xxy", password=PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_five_failures_lock_the_account_from_any_address(client, informant):
    for _ in range(4):
        assert _login(client, "cgz_xxy", "wrong-password").status_code == 200
    assert _login(client, "cgz_xxy", "wrong-password").status_code == 429  # the 5th locks
    # The right password from another address: still locked, with a Chinese message.
    response = _login(client, "cgz_xxy", PASSWORD, ip="198.51.100.7")
    assert response.status_code == 429
    body = response.content.decode()
    assert "登录已被暂时锁定" in body and "30分钟" in body
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_that_address(client, informant):
    factories.staff("fgj_xxy", factories.organisation(), roles.INFORMANT)
    for n in range(5):
        _login(client, f"nobody{n}", "wrong-password", ip="203.0.113.9")
    response = _login(client, "fgj_xxy", PASSWORD, ip="203.0.113.9")
    assert response.status_code == 429
    # Another address is not affected.
    assert _login(client, "fgj_xxy", PASSWORD, ip="203.0.113.10").status_code == 302


def test_four_failures_then_success_is_not_locked(client, informant):
    for _ in range(4):
        _login(client, "cgz_xxy", "wrong-password")
    assert _login(client, "cgz_xxy", PASSWORD).status_code == 302


@pytest.mark.parametrize(
    "password, message",
    [
        ("short-pw", "至少需要10个字符"),
        ("12345678901234", "只包含数字"),
        ("qwertyuiop", "太常见"),
        ("cgz_xxy_2026", "相似"),
    ],
)
def test_password_rules(informant, password, message):
    with pytest.raises(ValidationError) as error:
        validate_password(password, informant)
    assert any(message in m for m in error.value.messages), error.value.messages


def test_demo_password_passes_the_rules():
    from django.contrib.auth.models import User

    for username, full_name, _role, _slug in STAFF:
        user = User(username=username, first_name=full_name, email=f"{username}@longxi.example.gov.cn")
        validate_password(DEMO_PASSWORD, user)


def _logged_in(client, user):
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_back_office_session_ends_after_30_idle_minutes(client, informant):
    _logged_in(client, informant)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert "_auth_user_id" not in client.session
    event = AccessEvent.objects.filter(action="zwgk.auth.logout").get()
    assert event.user == informant


def test_back_office_session_stays_while_used(client, informant):
    _logged_in(client, informant)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/admin/").status_code == 200
    # That request counted as activity: the clock starts again.
    assert int(time.time()) - client.session[LAST_SEEN] < 5


def test_editor_background_pings_do_not_keep_a_session_alive(client, informant):
    _logged_in(client, informant)
    session = client.session
    stamp = int(time.time()) - 10 * 60
    session[LAST_SEEN] = stamp
    session.save()
    client.post("/admin/editing-sessions/ping/wagtailcore.page/1/")
    assert client.session[LAST_SEEN] == stamp


def test_idle_minutes_are_configurable(client, informant, settings):
    settings.ZWGK_SESSION_IDLE_MINUTES = 5
    _logged_in(client, informant)
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 6 * 60
    session.save()
    assert client.get("/admin/").status_code == 302


def test_citizen_session_is_not_touched(client):
    session = client.session
    session["receipt"] = "ZW-2026-0001"
    session.save()
    client.get("/admin/login/")
    assert client.session.get("receipt") == "ZW-2026-0001"
    assert LAST_SEEN not in client.session
