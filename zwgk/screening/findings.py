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
    "expression",
    "typo",
    "link",
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
    "expression": "严重表述错误",
    "typo": "错别字",
    "link": "链接",
}


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
