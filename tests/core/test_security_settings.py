"""Deployment defaults (等保 2.0 basics): `zwgk check --deploy` silent in production, each piece switchable."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ZWGK = Path(sys.executable).with_name("zwgk")
PRODUCTION = {"ZWGK_DEBUG": "0", "ZWGK_ALLOWED_HOSTS": "zwgk.example.gov.cn"}


def _env(tmp_path, **extra):
    # A production process, not this test run: tests/browser/fixtures.py sets DJANGO_ALLOW_ASYNC_UNSAFE
    # for Playwright's live server, which `check --deploy` rightly reports.
    unset = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if not k.startswith("ZWGK_") and k not in unset}
    env.update(PRODUCTION, ZWGK_SECRET_KEY=secrets.token_urlsafe(50), ZWGK_VAR_DIR=str(tmp_path), **extra)
    return env


def _settings(tmp_path, **extra):
    """The security settings as a process with this environment sees them."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps({k: getattr(s, k, None)"
        " for k in ('SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',"
        " 'SECURE_PROXY_SSL_HEADER', 'ZWGK_TRUSTED_PROXIES', 'SESSION_COOKIE_HTTPONLY', 'X_FRAME_OPTIONS')}))"
    )
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="zwgk.settings", **extra)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_check_deploy_is_silent_in_production(tmp_path):
    result = subprocess.run(
        [str(ZWGK), "check", "--deploy", "--fail-level", "WARNING"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_are_secure(tmp_path):
    s = _settings(tmp_path)
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert s["SECURE_PROXY_SSL_HEADER"] is None and s["ZWGK_TRUSTED_PROXIES"] == 0


def test_plain_http_site_turns_https_pieces_off(tmp_path):
    s = _settings(tmp_path, ZWGK_HTTPS="0")
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SECURE_HSTS_SECONDS"] == 0
    assert s["SESSION_COOKIE_SECURE"] is False and s["CSRF_COOKIE_SECURE"] is False
    assert s["SESSION_COOKIE_HTTPONLY"] is True


def test_each_piece_has_its_own_variable(tmp_path):
    s = _settings(tmp_path, ZWGK_HSTS_SECONDS="3600", ZWGK_SSL_REDIRECT="0", ZWGK_PROXY_SSL_HEADER="1")
    assert s["SECURE_HSTS_SECONDS"] == 3600
    assert s["SECURE_SSL_REDIRECT"] is False
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["ZWGK_TRUSTED_PROXIES"] == 1


def test_behind_a_tls_proxy_http_redirects_and_forwarded_https_gets_hsts(tmp_path):
    code = """
import django; django.setup()
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.test import RequestFactory
mw = SecurityMiddleware(lambda r: HttpResponse("ok"))
rf = RequestFactory()
plain = mw(rf.get("/", HTTP_HOST="zwgk.example.gov.cn"))
print(plain.status_code, plain.get("Location"))
proxied = mw(rf.get("/", HTTP_HOST="zwgk.example.gov.cn", HTTP_X_FORWARDED_PROTO="https"))
print(proxied.status_code, proxied.get("Strict-Transport-Security"))
"""
    env = _env(tmp_path, DJANGO_SETTINGS_MODULE="zwgk.settings", ZWGK_PROXY_SSL_HEADER="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    plain, proxied = out.stdout.splitlines()
    assert plain == "301 https://zwgk.example.gov.cn/"
    assert proxied.startswith("200 max-age=31536000")


def _directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.django_db
def test_embedded_demo_answers_over_http_with_security_headers(client):
    """ZWGK_DEBUG=1 (the default, `make run`): no HTTPS redirect, the headers that cost nothing are on."""
    from django.conf import settings

    from tests import factories

    factories.site()
    assert settings.SECURE_SSL_REDIRECT is False and settings.SESSION_COOKIE_SECURE is False
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    # The portal's policy is strict: no inline script or style, nothing from elsewhere.
    portal = _directives(response)
    assert portal["default-src"] == ["'self'"]
    assert portal["script-src"] == ["'self'"] and portal["style-src"] == ["'self'"]
    assert portal["object-src"] == ["'none'"] and portal["frame-ancestors"] == ["'self'"]


@pytest.mark.django_db
def test_back_office_policy_relaxes_inline_only(client):
    """Wagtail's admin needs inline initialisers and styles; it still loads nothing from elsewhere."""
    admin = _directives(client.get("/admin/login/"))
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]
    assert admin["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in admin["script-src"]
    assert admin["default-src"] == ["'self'"] and admin["form-action"] == ["'self'"]
