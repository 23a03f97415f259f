"""Issue #24: a citizen's message is never lost. The server process is killed (SIGKILL, no clean-up) while
it screens the message's attachment — the slow step — and yet the message, its attachment and its
submission event are in the database; the citizen's retry of the same form gets the receipt of that very
message (no second one), its 查询码 opens it on the tracking page, and the interrupted screening is caught
up afterwards. Runs on SQLite and PostgreSQL against a real HTTP server in its own process."""

import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from tests import factories
from tests.interaction.helpers import answer, county
from zwgk.interaction import services
from zwgk.interaction.models import Message, MessageAttachment

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
PHONE = "13912345678"

# The server: the project's WSGI application in a plain wsgiref server. With a marker path, screening an
# attachment announces itself (writes the marker) and then hangs, so the test kills it in the middle.
SERVER = """
import os, pathlib, sys, time
import django
django.setup()
port, marker = int(sys.argv[1]), sys.argv[2]
if marker != "-":
    from zwgk.interaction import attachments
    real = attachments.scan_text
    def slow_scan(text):
        pathlib.Path(marker).write_text("screening")
        time.sleep(600)
        return real(text)
    attachments.scan_text = slow_scan
from wsgiref.simple_server import WSGIRequestHandler, make_server
from django.core.wsgi import get_wsgi_application
class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass
server = make_server("127.0.0.1", port, get_wsgi_application(), handler_class=Quiet)
print("ready", flush=True)
server.serve_forever()
"""


def database_url() -> str:
    """The test database, for the server's own process."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, marker: str = "-") -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=database_url(),
        DJANGO_SETTINGS_MODULE="zwgk.settings",
        ZWGK_TASKS="immediate",
        ZWGK_PAGE_CACHE_SECONDS="0",
    )
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), marker],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    return process


class Browser:
    """Cookies, CSRF and redirects, as a citizen's browser has them."""

    def __init__(self, port: int):
        self.base = f"http://127.0.0.1:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return response.read().decode()

    def post(self, path: str, data: dict, files: dict | None = None) -> str:
        request = urllib.request.Request(
            self.base + path,
            data=encode_multipart(BOUNDARY, {**data, **(files or {})}),
            headers={"Content-Type": MULTIPART_CONTENT, "Referer": self.base},
        )
        with self.opener.open(request, timeout=60) as response:
            return response.read().decode()

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


class Upload:
    """A file for encode_multipart (it reads .name and .read())."""

    def __init__(self, name: str, data: bytes):
        self.name, self.data = name, data

    def read(self):
        return self.data


def test_message_survives_the_server_killed_while_screening(tmp_path):
    factories.site()
    _, _, _, boxes = county()
    port = free_port()
    marker = tmp_path / "screening-started"
    server = start_server(port, str(marker))
    try:
        citizen = Browser(port)
        form = citizen.get("/hudong/liuyan/")
        value, captcha_token = answer(form)
        data = {
            "csrfmiddlewaretoken": citizen.csrf(),
            "box": boxes["consult"].pk,
            "name": "王晓红",
            "phone": PHONE,
            "email": "",
            "subject": "低保申请进度",
            "content": "想问低保申请何时审批。",
            "wants_public": "on",
            "token": hidden(form, "token"),
            "captcha_answer": value,
            "captcha_token": captcha_token,
        }
        files = {"attachments": Upload("证明.txt", f"联系电话{PHONE}".encode())}
        outcome = {}

        def submit():
            try:
                outcome["page"] = citizen.post("/hudong/liuyan/", data, files)
            except (urllib.error.URLError, ConnectionError, http.client.HTTPException) as error:
                outcome["error"] = error

        sender = threading.Thread(target=submit)
        sender.start()
        deadline = time.monotonic() + 60
        while not marker.exists() and time.monotonic() < deadline and server.poll() is None:
            time.sleep(0.02)
        assert marker.exists(), "the server never reached the attachment's screening"
        server.send_signal(signal.SIGKILL)  # in the middle of the slow step, without warning
        server.wait(timeout=30)
        sender.join(timeout=30)
        assert server.returncode == -signal.SIGKILL and "page" not in outcome  # the citizen saw no receipt
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    # Nothing lost: the message, its event and its file were committed before the screening began.
    message = Message.objects.get()
    assert message.subject == "低保申请进度" and message.phone == PHONE
    assert list(message.events.values_list("kind", flat=True)) == ["submitted"]
    attachment = MessageAttachment.objects.get(message=message)
    assert attachment.screened_at is None
    with attachment.file.open("rb") as handle:
        assert handle.read() == f"联系电话{PHONE}".encode()

    # The server is back; the citizen sends the same form again and gets the receipt of the stored message.
    port = free_port()
    server = start_server(port)
    try:
        citizen.base = f"http://127.0.0.1:{port}"
        receipt = citizen.post("/hudong/liuyan/", data, files)
        assert message.number in receipt and message.query_code in receipt
        assert Message.objects.count() == 1 and MessageAttachment.objects.count() == 1

        # Someone else's browser with the number and the 查询码 sees the message.
        other = Browser(port)
        track = other.get("/hudong/chaxun/")
        found = other.post(
            "/hudong/chaxun/",
            {
                "csrfmiddlewaretoken": hidden(track, "csrfmiddlewaretoken"),
                "number": message.number,
                "code": message.query_code,
            },
        )
        assert "低保申请进度" in found and "待受理" in found
    finally:
        server.kill()
        server.wait()

    # The interrupted screening is caught up (the daily run, or the clerk opening the message).
    assert services.screen_pending() == 1
    attachment.refresh_from_db()
    assert attachment.screened_at is not None and "手机号码" in attachment.screening_note


def test_a_crash_leaves_no_file_unscreened_for_the_clerk():
    """The clerk opening a message whose screening was interrupted gets its files screened first."""
    factories.site()
    _, mzj, _, boxes = county()
    message, _ = services.submit(boxes["consult"], subject="咨询", content="内容", name="王", phone=PHONE)
    attachment = services.store_attachment(message, "a.txt", f"电话{PHONE}".encode())
    assert attachment.screening_label == "待审查"
    clerk = factories.staff("mz_xxy", mzj, "信息员")
    client = Client()
    client.force_login(clerk)
    page = client.get(f"/admin/interaction/{message.pk}/").content.decode()
    attachment.refresh_from_db()
    assert attachment.screened_at is not None and "待审查" not in page
