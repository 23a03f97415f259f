"""The sensitive-word lexicon as CSV: the starter files shipped beside this module (see README: sources,
licences, curation) and the back office's import and export.

CSV: UTF-8 (a BOM is allowed), a header row naming the columns in Chinese or English — 敏感词/word,
类别/category, 级别/severity (required), 来源/source, 启用/enabled (optional) — then one entry a line.
A file that is not UTF-8, lacks a column or has no entries is refused whole; a bad line is refused with
its number and reason while the other lines are shown for import. Importing (`lexicon_import`) adds new
words and updates existing ones; it never deletes a word (disable or delete it in 审查规则 › 敏感词).
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from zwgk.text.scanner import normalise_term

from ..findings import BLOCK, WARN
from ..models import CATEGORIES

DIR = Path(__file__).resolve().parent
FILES = ["politics.csv", "porn.csv", "gambling.csv", "drugs.csv", "terror.csv", "fraud.csv", "vulgar.csv"]
MAX_BYTES = 2 * 1024 * 1024
MAX_WORD = 60
MAX_SOURCE = 80

COLUMNS = {  # column → the header names accepted for it
    "word": ("敏感词", "word"),
    "category": ("类别", "category"),
    "severity": ("级别", "severity"),
    "source": ("来源", "source"),
    "enabled": ("启用", "enabled"),
}
REQUIRED = ("word", "category", "severity")
EXPORT_HEADER = ["敏感词", "类别", "级别", "来源", "启用"]
TRUE, FALSE = ("是", "1", "true", "yes", "y", ""), ("否", "0", "false", "no", "n")


class LexiconFileError(ValueError):
    """The whole file is refused (encoding, size, header): the message is shown to the user."""


@dataclass(frozen=True)
class Entry:
    line: int
    word: str
    category: str
    severity: str
    source: str = ""
    enabled: bool = True


@dataclass
class Parsed:
    entries: list[Entry] = field(default_factory=list)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)  # (line number, line text, reason)


def categories() -> list[str]:
    return [value for value, _ in CATEGORIES]


def severities() -> list[str]:
    return [BLOCK, WARN]


def decode(data: bytes) -> str:
    """The text of an uploaded file, or LexiconFileError in Chinese (GBK files from Excel are common)."""
    if len(data) > MAX_BYTES:
        raise LexiconFileError(
            f"文件过大（{len(data) // 1024} KB），单个文件不超过 {MAX_BYTES // 1024 // 1024} MB，请分批导入。"
        )
    if not data.strip():
        raise LexiconFileError("文件为空。")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise LexiconFileError("文件不是 UTF-8 编码的 CSV 文本，无法读取。") from None
        raise LexiconFileError(
            "文件是 GBK/GB18030 编码，请另存为“CSV UTF-8（逗号分隔）”格式后重新导入（未导入任何内容）。"
        ) from None
    if "\x00" in text:
        raise LexiconFileError("文件含有二进制内容，不是 CSV 文本（如为 Excel 文件，请另存为 CSV UTF-8）。")
    return text


def _header(row: list[str]) -> dict[str, int]:
    names = [c.strip().lower() for c in row]
    found: dict[str, int] = {}
    for column, accepted in COLUMNS.items():
        for i, name in enumerate(names):
            if name in accepted:
                found[column] = i
                break
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in found]
    if missing:
        raise LexiconFileError(
            f"第 1 行（表头）缺少列：{'、'.join(missing)}。表头应为：{','.join(EXPORT_HEADER)}（来源、启用可省略）。"
        )
    return found


def parse(text: str) -> Parsed:
    """Every line checked; LexiconFileError when the file as a whole cannot be read."""
    allowed_categories, allowed_severities = categories(), severities()
    rows = list(csv.reader(io.StringIO(text)))
    while rows and not any(c.strip() for c in rows[0]):
        rows.pop(0)
    if not rows:
        raise LexiconFileError("文件为空。")
    columns = _header(rows[0])
    parsed = Parsed()
    seen: dict[str, int] = {}
    lines = text.splitlines()
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        raw = lines[number - 1] if number - 1 < len(lines) else ",".join(row)

        def cell(column, row=row):
            i = columns.get(column)
            return row[i].strip() if i is not None and i < len(row) else ""

        word, category, severity = cell("word"), cell("category"), cell("severity")
        source, enabled = cell("source"), cell("enabled").lower()
        reason = ""
        if not word:
            reason = "敏感词为空"
        elif len(word) > MAX_WORD:
            reason = f"敏感词超过 {MAX_WORD} 个字符"
        elif len(normalise_term(word)) < 2:
            reason = "敏感词去掉空格和标点后不足 2 个字符（单字误报太多）"
        elif not category:
            reason = "类别为空"
        elif category not in allowed_categories:
            reason = f"未知类别“{category[:20]}”，应为：{'、'.join(allowed_categories)}"
        elif severity not in allowed_severities:
            reason = f"级别“{severity[:10]}”无效，应为：{'、'.join(allowed_severities)}"
        elif len(source) > MAX_SOURCE:
            reason = f"来源超过 {MAX_SOURCE} 个字符"
        elif enabled not in TRUE + FALSE:
            reason = f"启用“{enabled[:10]}”无效，应为：是、否"
        elif normalise_term(word) in seen:
            reason = f"与第 {seen[normalise_term(word)]} 行重复"
        if reason:
            parsed.rejected.append((number, raw[:200], reason))
            continue
        seen[normalise_term(word)] = number
        parsed.entries.append(Entry(number, word, category, severity, source, enabled in TRUE))
    if not parsed.entries and not parsed.rejected:
        raise LexiconFileError("文件只有表头，没有敏感词。")
    return parsed


def starter_entries() -> list[Entry]:
    """The entries of the starter files shipped here (loaded by a data migration)."""
    entries = []
    for name in FILES:
        parsed = parse((DIR / name).read_text(encoding="utf-8"))
        if parsed.rejected:
            raise ValueError(f"{name}: {parsed.rejected[:3]}")
        entries.extend(parsed.entries)
    return entries


def export_csv(words) -> str:
    """The lexicon (SensitiveWord rows) as CSV text in the import's format, with a BOM for Excel."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_HEADER)
    for w in words:
        writer.writerow([w.word, w.category, w.severity, w.source, "是" if w.enabled else "否"])
    return out.getvalue()
