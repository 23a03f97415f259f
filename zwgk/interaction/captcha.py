"""An arithmetic question as captcha: offline, readable by screen readers, no fonts or images needed.

Image captchas (django-simple-captcha) need Pillow fonts and are unusable for blind visitors (WCAG 1.1.1);
an outside service (reCAPTCHA, 极验) sends every visitor's address abroad or to a third party. The question
("7 加 5 等于几？") travels with a signed, timestamped token holding only a keyed hash of the answer; a token
answers once (remembered in the cache until it expires) and for 30 minutes at most.
"""

import secrets

from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

SALT = "zwgk.interaction.captcha"
MAX_AGE = 30 * 60  # seconds a question stays answerable
WORDS = {"+": "加", "-": "减"}


def _digest(nonce: str, answer: int) -> str:
    # Keyed with SECRET_KEY: the token does not let a robot try the few possible answers offline.
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()[:20]


def new_question() -> tuple[str, str]:
    """(question in Chinese, signed token)."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    op = secrets.choice("+-")
    if op == "-" and b > a:
        a, b = b, a
    answer = a + b if op == "+" else a - b
    nonce = secrets.token_urlsafe(8)
    token = signing.dumps({"n": nonce, "h": _digest(nonce, answer)}, salt=SALT, compress=True)
    return f"{a} {WORDS[op]} {b} 等于几？", token


def check(token: str, given: str) -> str:
    """ "" if `given` answers the question of `token`, else a Chinese message."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        return "验证问题已过期，请回答新的问题。"
    except signing.BadSignature:
        return "验证问题无效，请回答新的问题。"
    text = (given or "").strip().translate({0xFF10 + i: 0x30 + i for i in range(10)})
    if not text.lstrip("-").isdigit() or len(text) > 4:
        return "请用数字回答验证问题。"
    if _digest(data["n"], int(text)) != data["h"]:
        return "验证问题回答不正确，请重新计算。"
    if not cache.add(f"zwgk:captcha:{data['n']}", 1, MAX_AGE):
        return "该验证问题已使用，请回答新的问题。"
    return ""
