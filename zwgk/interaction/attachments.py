"""Files attached to a 留言 or to a draft put out for comment (意见征集): stored first, screened after.

Screening reads the file's text (OCR of a scan is slow), so it runs once the upload is committed; the
files a crash or a killed worker left unscreened are caught up from the daily digest (`screen_each`).
"""

import logging

from zwgk.screening.engine import scan_text
from zwgk.screening.extract import UnsupportedFile, extract_text

logger = logging.getLogger(__name__)


def screen_file(file, name: str) -> tuple[list, str]:
    """The findings in a stored file's text and the note the back office shows: what was found
    ("发现：身份证号码（禁止）"), "未发现问题", or why the text could not be read (then no findings)."""
    with file.open("rb") as handle:
        data = handle.read()
    try:
        findings = scan_text(extract_text(name, data))
    except UnsupportedFile as error:
        return [], str(error)[:200]
    labels = sorted({f"{f.label}（{f.severity}）" for f in findings})
    return findings, ("发现：" + "、".join(labels))[:200] if labels else "未发现问题"


def screen_each(attachments, screen) -> int:
    """`screen(attachment)` for each one, an unreadable file not stopping the others; how many were screened."""
    done = 0
    for attachment in attachments:
        try:
            screen(attachment)
            done += 1
        except Exception:  # noqa: BLE001 — one unreadable file must not stop the others
            logger.exception("%s %s not screened", type(attachment).__name__, attachment.pk)
    return done
