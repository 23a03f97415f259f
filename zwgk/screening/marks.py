"""密级 and internal-document marks: text that must never be published (保密法; 条例 Art. 14-15).

A classified or internal document is recognised by its marks, not by the words 秘密 or 机密 alone, which
ordinary prose uses ("商业秘密", "国家秘密的范围", "保守秘密"). Reported, each as one 禁止 finding:

- a 密级 with ★ and its 保密期限 (GB/T 9704 版头): "秘密★1年", "绝密★启用前", "机密★长期", "机密★";
- "密级：秘密" and a 密级 alone on its line ("绝密", "【机密】"), as headers print them;
- "内部资料 注意保存" (and 内部资料 as a short header line), "内部明电";
- "不得外传" in a header-like line, or after 内部/资料/文件/参阅/参考 ("仅供内部参阅，不得外传");
- 涉密 headers: "此件涉密", "涉密件", a short line with 涉密 and 文件/材料/注意保管/阅后收回/★.

The engine finds the anchors (ANCHORS) in its one automaton pass; the patterns run only at them.
"""

import re

from .findings import BLOCK, Finding

LABEL = "密级标识"
SUGGESTION = "密级或内部资料标志：涉密或内部文件不得公开发布，请撤下并报保密审查员核查"
KIND = "sensitive_word"  # stored as a 禁止 敏感词 finding; category and suggestion name it
ANCHORS = ("绝密", "机密", "秘密", "内部资料", "内部明电", "不得外传", "涉密")

HEADER_LINE = 24  # characters: a line this short is a header, not prose
_LEVEL = "(?:绝密|机密|秘密)"
_STAR = "[★☆✩✭✮⭐*＊]"
_TERM = r"(?:[0-9０-９一二三四五六七八九十]+\s*(?:年|个月|月|日|天)|长期|启用前|解密前|公布前)"
_PATTERNS = [
    re.compile(_LEVEL + r"\s*" + _STAR + r"\s*" + _TERM + "?"),  # 秘密★1年, 绝密★启用前, 机密★
    re.compile(r"密\s*级\s*[:：]?\s*" + _LEVEL + r"(?:\s*" + _STAR + r"?\s*" + _TERM + ")?"),
    re.compile(_LEVEL + r"\s*[（(]?\s*保密期限\s*[:：]?\s*" + _TERM + r"?\s*[）)]?"),
    re.compile(r"内部资料[\s，,、。:：（(【\[]*(?:注意保存|注意保管|妥善保管|请勿外传|不得外传)[）)】\]]?"),
    re.compile(r"内部明电"),
    re.compile(
        r"(?:此件|本件|该件)涉密|涉密(?:件|文件|材料)[\s，,、]*(?:注意保管|阅后收回|请勿复制|不得复制)"
    ),
    re.compile(r"(?:内部|资料|文件|参阅|参考)[^\n。；;]{0,10}不得外传"),
]
# A header line: the mark alone, in brackets, with its 保密期限 or a 保存/保管 note.
_NOTE = "注意保存|注意保管|妥善保管|阅后收回|不得外传|请勿外传"
_OPEN, _CLOSE = r"[\s【\[（(〔]*", r"[\s】\]）)〕]*"
_HEADER = re.compile(
    f"^{_OPEN}(?:{_LEVEL}|内部资料|涉密(?:文件|材料|件)?){_CLOSE}"
    f"(?:[，,、\\s]*(?:{_STAR}\\s*{_TERM}?|{_NOTE}))?{_CLOSE}$"
)
_NOT_OUTSIDE = re.compile(r"不得外传")


def cue_terms() -> dict:
    """The anchors, as a group of the engine's lexicon (payload: ("cue", "mark"))."""
    return {word: ("cue", "mark") for word in ANCHORS}


def _line(text: str, at: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return start, len(text) if end < 0 else end


def mark_findings(text: str, anchors) -> list[Finding]:
    """The marks of `text` at the anchors found ([(start, end)]), as 禁止 findings (one per mark)."""
    found: dict[tuple[int, int], Finding] = {}
    lines_done: set[int] = set()
    for a, _ in sorted(anchors):
        line_start, line_end = _line(text, a)
        if line_start in lines_done:
            continue
        lines_done.add(line_start)
        line = text[line_start:line_end]
        spans = []
        for pattern in _PATTERNS:
            spans += [(m.start(), m.end()) for m in pattern.finditer(line)]
        if not spans and len(line.strip()) <= HEADER_LINE:
            header = _HEADER.match(line)
            if header:
                spans.append((len(line) - len(line.lstrip()), len(line.rstrip())))
            elif _NOT_OUTSIDE.search(line):
                spans += [(m.start(), m.end()) for m in _NOT_OUTSIDE.finditer(line)]
        for s, e in spans:
            s, e = line_start + s, line_start + e
            if any(s >= fs and e <= fe for fs, fe in found):
                continue
            found = {k: v for k, v in found.items() if not (k[0] >= s and k[1] <= e)}
            found[(s, e)] = Finding(KIND, BLOCK, s, e, text[s:e], SUGGESTION, LABEL)
    return list(found.values())
