"""False positives of the sensitive-word lexicon on ordinary government prose.

Usage: ZWGK_VAR_DIR=/tmp/bench zwgk migrate && zwgk demo && python bench/screening_fp.py [--db] [--list 50]

Text: every item of the demo archive (title, summary, body, attachments' stored text: `page_texts`) and the
texts of ../shared/corpus (read here only; the product does not need them). Neither holds a sensitive word
on purpose (the demo plants a mobile number, a typo and an ID number, no sensitive word), so every
sensitive-word finding is a false positive. Lexicon: the starter files (zwgk/screening/lexicon/*.csv) with
the expression rules, or with --db the site's lexicon as edited in the back office.
Printed: characters scanned, sensitive-word findings per 100,000 characters at 禁止 and at 提示 (target
for 禁止: ≤ 1), and the terms found, most frequent first, with a context.
"""

import argparse
import collections
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import django  # noqa: E402

django.setup()

from zwgk.screening import engine, lexicon, starter  # noqa: E402
from zwgk.screening.findings import BLOCK, WARN  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"


def demo_texts() -> list[tuple[str, str]]:
    from wagtail.models import Page

    from zwgk.disclosure.models import ITEM_TYPES
    from zwgk.screening.services import page_texts

    texts = []
    for page in Page.objects.type(*ITEM_TYPES).specific().iterator(chunk_size=200):
        texts += [(f"{page.pk}:{source}", text) for source, text in page_texts(page)]
    return texts


def corpus_texts() -> list[tuple[str, str]]:
    if not CORPUS.is_dir():
        print(f"（未找到 {CORPUS}，只测演示数据）")
        return []
    return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]


def starter_rules() -> engine.Rules:
    words = [(e.word, e.category, e.severity) for e in lexicon.starter_entries()]
    typos = [(w, c, WARN) for w, c in starter.TYPOS]
    return engine.Rules(words, starter.EXPRESSIONS, typos, [])


def measure(texts, rules):
    chars = sum(len(t) for _, t in texts)
    hits = {BLOCK: collections.Counter(), WARN: collections.Counter()}
    where: dict[str, str] = {}
    for source, text in texts:
        for start, end, payload in rules.lexicon.scan(text):
            if payload[0] != "sensitive_word":
                continue
            term = text[start:end]
            hits[payload[2]][term] += 1
            where.setdefault(term, f"{source}：…{text[max(0, start - 12) : end + 12]}…".replace("\n", " "))
    return chars, hits, where


def report(label, texts, rules, top):
    chars, hits, where = measure(texts, rules)
    per = 100_000 / max(chars, 1)
    print(f"\n## {label}: {chars:,} 字符, {len(texts):,} 段文本")
    for severity in (BLOCK, WARN):
        total = sum(hits[severity].values())
        print(f"{severity}: {total} 处 = {total * per:.2f} 处/10 万字符（{len(hits[severity])} 个词）")
        for term, count in hits[severity].most_common(top):
            print(f"  {count:>4} × {term}　{where[term]}")
    return chars, sum(hits[BLOCK].values())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", action="store_true", help="the site's lexicon instead of the starter files")
    parser.add_argument("--list", type=int, default=30, help="terms listed per severity")
    args = parser.parse_args()
    rules = engine.rules() if args.db else starter_rules()
    print(f"词库：{'数据库' if args.db else '初始词库文件'}，{len(rules.lexicon)} 个词条（含表述规则）")
    demo, corpus = demo_texts(), corpus_texts()
    if not demo:
        print("（演示数据为空：先运行 zwgk demo）")
    total_chars = total_block = 0
    for label, texts in (("演示数据", demo), ("共享语料", corpus), ("合计", demo + corpus)):
        if texts:
            chars, block = report(label, texts, rules, args.list if label == "合计" else 0)
            if label == "合计":
                total_chars, total_block = chars, block
    rate = total_block * 100_000 / max(total_chars, 1)
    print(f"\n禁止级误报率：{rate:.2f} 处/10 万字符（目标 ≤ 1）{'✓' if rate <= 1 else '✗'}")


if __name__ == "__main__":
    main()
