"""Benchmark: scan_text throughput on a corpus built from ../shared/corpus, against a naive baseline.

Usage: ZWGK_VAR_DIR=/tmp/bench zwgk migrate && python bench/screening.py [--mb 5]
The corpus is the cleaned government prose with personal data sprinkled in (one ID, one mobile number
per ~2 KB). Baseline, measured in the same run: the same sensitive-word lexicon as one regex alternation
plus the ID/phone regexes without normalisation — the approach commercial checkers replace. Not a test.
"""

import argparse
import os
import random
import re
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
import django  # noqa: E402

django.setup()

from zwgk.disclosure.demo_content import corpus_sentences  # noqa: E402
from zwgk.screening import scan_text  # noqa: E402
from zwgk.screening.personal import id_check_digit  # noqa: E402
from zwgk.screening.starter import EXPRESSIONS, SENSITIVE_WORDS, TYPOS  # noqa: E402


def build_corpus(megabytes: float, rng: random.Random) -> list[str]:
    sentences = corpus_sentences()
    docs, size = [], 0
    while size < megabytes * 1024 * 1024:
        body = "".join(rng.choice(sentences) for _ in range(25))
        first17 = f"3501021990{rng.randrange(1, 13):02d}{rng.randrange(1, 28):02d}{rng.randrange(100, 999)}"
        body += f"联系人身份证{first17}{id_check_digit(first17)}，手机1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}。"
        docs.append(body)
        size += len(body.encode())
    return docs


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=3.0)
    args = parser.parse_args()
    docs = build_corpus(args.mb, random.Random(5))
    megabytes = sum(len(d.encode()) for d in docs) / 1024 / 1024
    terms = [w for w, *_ in SENSITIVE_WORDS] + [w for w, *_ in EXPRESSIONS] + [w for w, _ in TYPOS]
    naive = re.compile("|".join(map(re.escape, terms)) + r"|\d{17}[\dXx]|1[3-9]\d{9}")
    scan_text(docs[0])  # load lexicons

    t = time.perf_counter()
    zwgk_hits = sum(len(scan_text(d)) for d in docs)
    zwgk_s = time.perf_counter() - t
    t = time.perf_counter()
    naive_hits = sum(len(naive.findall(d)) for d in docs)
    naive_s = time.perf_counter() - t
    print(f"corpus: {len(docs)} documents, {megabytes:.1f} MB")
    print(
        f"zwgk scan_text       {megabytes / zwgk_s:7.2f} MB/s  {zwgk_hits} findings (validated IDs, normalised words)"
    )
    print(
        f"naive regex baseline {megabytes / naive_s:7.2f} MB/s  {naive_hits} hits (no check digits, no normalisation)"
    )
    print(f"ratio zwgk/baseline speed: {naive_s / zwgk_s:.2f}x")
    per_city = 450_000 * 4 / 1024  # 450k items of ~4 KB
    print(
        f"projected single-process time for a 450,000-item city archive (~{per_city:.0f} MB): "
        f"{per_city / (megabytes / zwgk_s) / 60:.1f} min (divide by --workers)"
    )


if __name__ == "__main__":
    main()
