"""The Finding record shared by every detector (no Django imports: usable from the CLI and workers)."""

from typing import NamedTuple

KINDS = (
    "id_card",
    "mobile",
    "landline",
    "bank_card",
    "email",
    "passport",
    "sensitive_word",
    "spam",
    "expression",
    "typo",
    "link",
    "attachment_pending",
    "attachment_limit",
    "unreadable",
)
BLOCK = "禁止"  # blocks approval and publishing unless a 保密审查员 overrides it
WARN = "提示"  # shown to the editor, does not block
KIND_LABELS = {
    "id_card": "身份证号码",
    "mobile": "手机号码",
    "landline": "固定电话",
    "bank_card": "银行卡号",
    "email": "电子邮箱",
    "passport": "护照/通行证号码",
    "sensitive_word": "敏感词",
    "spam": "疑似暗链/被植入内容",  # injected SEO spam and hidden links (spam.py): its own kind, not a word
    "expression": "严重表述错误",
    "typo": "错别字",
    "link": "链接",
    "attachment_pending": "附件待审查",  # its text is not extracted yet (the background task is queued)
    "attachment_limit": "附件超出限制",  # over ZWGK_UPLOAD_MAX_MB, ZWGK_UNZIPPED_MAX_MB, … : not read
    "unreadable": "无法读取，需人工审查",  # encrypted, broken, unsupported, a scan without OCR: not screened
}
# Findings about an attachment as a whole, not about text in it: never masked; a pending one is never
# overridden or marked 误报 (it goes away when the background task has read the file).
ATTACHMENT_PENDING = "attachment_pending"
ATTACHMENT_LIMIT = "attachment_limit"
UNREADABLE = "unreadable"


class Finding(NamedTuple):
    """One finding; a named tuple because screening makes one per hit of every document (a third of the
    cost of a frozen dataclass)."""

    kind: str
    severity: str
    start: int
    end: int
    text: str
    suggestion: str = ""
    category: str = ""  # lexicon category for sensitive words, rule note for expressions

    def as_dict(self) -> dict:
        data = self._asdict()
        if not data["category"]:
            data.pop("category")
        return data

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)
