"""Typos, wrong expressions, repeated characters and unbalanced brackets (spec §9; 19号 单项否决 for 严重表述错误)."""

import re

from zwgk.text.normalize import normalize_document_number

DOUBLED = "的地得是在和与及对把被将了"
REPEATED = re.compile(f"([{DOUBLED}])\\1")
# Words where the doubled character is correct.
REPEATED_OK = ("的的确确", "了了之", "一了百了", "在在")
PAIRS = {"（": "）", "《": "》", "“": "”", "〔": "〕", "【": "】", "(": ")"}
CLOSERS = {v: k for k, v in PAIRS.items()}
TITLE_LINE = 80  # brackets are checked in title-like lines (titles, 文号, headings), not across paragraphs
_BRACKET = re.compile("[" + re.escape("".join(PAIRS) + "".join(CLOSERS)) + "]")
DOCNO_LABELS = ("发文字号", "文件编号", "文号为", "文号是", "文号", "根据", "依据", "按照", "印发")
WRONG_DOCNO = re.compile(r"[\u4e00-\u9fa5]{1,10}(?:[\[【（(［]\d{4}[\]】）)］]|\d{4}[-－])第?0*\d+号")
# Cheap first pass: the year part of a wrongly bracketed 文号; the full pattern runs only around it.
DOCNO_YEAR = re.compile(r"(?:[\[【（(［]\d{4}[\]】）)］]|\d{4}[-－])第?0*\d+号")


# The hints of `_scan.screen`, which the engine runs over every text: one compiled pass tells which of the
# detectors below could find anything (a doubled character of DOUBLED; a 号 after digits after a closing
# bracket, or a dash, after four digits; a title-length line whose brackets do not pair up). HINT_CHARS
# make its table (`_scan.classes`), HINT_ARGS go with every call.
REPEATED_HINT, DOCNO_HINT, BRACKETS_HINT = 1, 2, 4
_OPENERS, _CLOSERS = "".join(PAIRS), "".join(PAIRS.values())
HINT_CHARS = (DOUBLED, _OPENERS, _CLOSERS)
HINT_ARGS = (_OPENERS, _CLOSERS, TITLE_LINE)


def repeated_characters(text: str, at: list[int] | None = None):
    """Yield (start, end, text, suggestion) for doubled function characters such as 的的. `at`: where the
    doubled characters of DOUBLED are (non-overlapping, as REPEATED finds them), if the caller knows."""
    starts = at if at is not None else (m.start() for m in REPEATED.finditer(text))
    for start in starts:
        window = text[max(0, start - 2) : start + 4]
        if any(ok in window for ok in REPEATED_OK):
            continue
        yield start, start + 2, text[start : start + 2], text[start]


def unbalanced_brackets(text: str):
    """Yield (start, end, char, suggestion) for brackets and quotes without their partner in titles and
    other short lines (a long paragraph's quotes legitimately span sentences and lines)."""
    offset = 0
    for line in text.replace("\f", "\n").split("\n"):  # (a page break ends a line too)
        if len(line) > TITLE_LINE:
            offset += len(line) + 1
            continue
        stack: list[tuple[str, int]] = []
        for m in _BRACKET.finditer(line):
            i, ch = m.start(), m.group()
            if ch in PAIRS:
                stack.append((ch, i))
            elif ch in CLOSERS:
                if stack and stack[-1][0] == CLOSERS[ch]:
                    stack.pop()
                else:
                    yield offset + i, offset + i + 1, ch, f"缺少与“{ch}”配对的“{CLOSERS[ch]}”"
        for ch, i in stack:
            yield offset + i, offset + i + 1, ch, f"缺少与“{ch}”配对的“{PAIRS[ch]}”"
        offset += len(line) + 1


def _docno_hints(text: str):
    """The matches of DOCNO_YEAR.finditer(text), looked for only before a digit and 号.

    Every match ends with the only 号 it holds, so the text splits at each 号 into segments holding at most
    one match each, and a match starts at most 7 characters before the digits in front of its 号.
    """
    segment = 0
    end = text.find("号")
    while end != -1:
        i = end - 1
        while i >= segment and text[i].isdecimal():
            i -= 1
        if i < end - 1 and (m := DOCNO_YEAR.search(text, max(segment, i - 7), end + 1)):
            yield m
        segment = end + 1
        end = text.find("号", segment)


def wrong_document_numbers(text: str):
    """文号 written with [], 【】, （） or a dash instead of 〔〕 (GB/T 9704-2012)."""
    seen = -1
    for hint in _docno_hints(text):
        m = WRONG_DOCNO.search(text, max(seen + 1, hint.start() - 10), hint.end())
        if m is None or m.end() != hint.end():
            continue
        seen = m.end()
        start, value = m.start(), m.group(0)
        for label in DOCNO_LABELS:  # "文号：龙政办[2022]3号" — the label is not part of the number
            if value.startswith(label):
                start, value = start + len(label), value[len(label) :]
                break
        fixed = normalize_document_number(value)
        if fixed != value:
            yield start, m.end(), value, fixed
