"""Reply templates and what the public sees: the citizen's personal data masked before anything is shown.

Masking goes through the screening engine (`zwgk.screening.engine.scan_text`: 身份证、手机、固话、银行卡、
邮箱、护照 in any text) and, besides, replaces the writer's own name, phone and e-mail wherever they occur.
"""

import string

from zwgk.screening.engine import scan_text
from zwgk.screening.findings import BLOCK
from zwgk.screening.personal import mask
from zwgk.text.normalize import clean_text

PLACEHOLDERS = {
    "name": "留言人称呼",
    "subject": "留言标题",
    "received_on": "收到日期",
    "organisation": "答复机关",
    "date": "答复日期",
}
PERSONAL_KINDS = {"id_card", "mobile", "landline", "bank_card", "email", "passport"}


def template_errors(body: str) -> list[str]:
    """Chinese errors for a template: unpaired braces, unknown or decorated placeholders."""
    available = " ".join("{" + name + "}" for name in PLACEHOLDERS)
    errors = []
    try:
        for _, field, spec, conversion in string.Formatter().parse(body or ""):
            if field is None:
                continue
            if field not in PLACEHOLDERS:
                errors.append(f"未知的占位符 {{{field}}}，可用的占位符：{available}。")
            elif spec or conversion:
                errors.append(f"占位符 {{{field}}} 不能带格式说明，请写作 {{{field}}}。")
    except ValueError:
        errors.append("模板中的花括号没有配对（要写花括号本身请写成“{{”或“}}”）。")
    return errors


def salutation(message) -> str:
    """How a reply addresses the writer without repeating the full name: 张先生/女士 → 张**."""
    name = (message.name or "").strip()
    return f"{name[:1]}**" if name else "网友"


def fill_template(body: str, message, today) -> tuple[str, list[str]]:
    """(text, errors): the template filled for `message`; with errors, ("", errors) and nothing is filled."""
    body = clean_text(body)
    errors = template_errors(body)
    if errors:
        return "", errors
    values = {
        "name": salutation(message),
        "subject": message.subject,
        "received_on": message.received_on.isoformat(),
        "organisation": message.organisation.name,
        "date": today.isoformat(),
    }
    return body.format(**values), []


def _own_data(message) -> list[tuple[str, str]]:
    """The writer's own name, phone and e-mail as written, with what replaces them."""
    pairs = []
    name = (message.name or "").strip()
    if len(name) >= 2:
        pairs.append((name, name[0] + "*" * (len(name) - 1)))
    if message.phone:
        kind = "mobile" if message.phone.startswith("1") else "landline"
        pairs.append((message.phone, mask(kind, message.phone)))
    if message.email:
        pairs.append((message.email, mask("email", message.email)))
    return pairs


def masked(text: str, message=None) -> str:
    """`text` with every personal number or address the screening engine finds, and the writer's own
    name/phone/e-mail, masked (138****1234, 张**)."""
    text = text or ""
    for value, replacement in _own_data(message) if message is not None else ():
        text = text.replace(value, replacement)
    return mask_findings(text, scan_text(text))


def mask_findings(text: str, findings, *, blocked: bool = False) -> str:
    """`text` with every personal-data finding in its masked form (138****1234) and, with `blocked`, every
    禁止 finding (敏感词…) in stars; the last first, so that the offsets of the others hold."""
    for finding in sorted(findings, key=lambda f: f.start, reverse=True):
        if finding.kind in PERSONAL_KINDS:
            replacement = finding.suggestion or mask(finding.kind, finding.text)
        elif blocked and finding.severity == BLOCK:
            replacement = "*" * (finding.end - finding.start)
        else:
            continue
        text = text[: finding.start] + replacement + text[finding.end :]
    return text


def public_texts(message) -> dict:
    """The subject, question and reply as the public list shows them (computed once, when published)."""
    return {
        "public_subject": masked(message.subject, message)[:100],
        "public_content": masked(message.content, message),
        "public_reply": masked(message.reply, message),
    }
