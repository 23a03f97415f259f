"""Benchmark: scan_text throughput per core against a bare ahocorasick-rs pass, and a 50,000-word lexicon.

Usage: ZWGK_VAR_DIR=/tmp/bench zwgk migrate && python bench/screening.py [--mb 3] [--words 50000]
The corpus is the cleaned government prose of ../shared/corpus with personal data sprinkled in (one ID,
one mobile number per ~2 KB). Measured in the same run, over the same documents (each pass gets fresh
copies of the strings, so none inherits another's cached UTF-8):

- zwgk `scan_text`: every detector (validated personal data, normalised sensitive words, expressions,
  typos, repeated characters, 文号, brackets), findings with positions in the original text;
- bare ahocorasick-rs: `AhoCorasick(lexicon, MatchKind.LeftmostLongest).find_matches_as_indexes(doc)` with
  the same lexicon (sensitive words + expression and typo rules), no normalisation, no other detector;
- a naive regex (the lexicon as one alternation plus ID/phone regexes, nothing validated).

Then a 50,000-word lexicon (2–6 character words of common characters) is loaded in a child
process: load time, peak RSS (with the baseline RSS of the same process before loading) and both
throughputs again. Single process = one core. Not a test: nothing is asserted.
"""

import argparse
import gc
import json
import os
import random
import re
import resource
import subprocess
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
import django  # noqa: E402

django.setup()

import ahocorasick_rs  # noqa: E402

from zwgk.demo.content import corpus_sentences  # noqa: E402
from zwgk.screening import engine, scan_text  # noqa: E402
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


def fresh(docs):
    return [(d + ".")[:-1] for d in docs]  # new str objects: no cached UTF-8 from an earlier pass


def timed(function, docs, repeat=3):
    """Best of `repeat` runs over fresh copies of `docs`: (seconds, result of the last run)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        copies = fresh(docs)
        start = time.perf_counter()
        result = function(copies)
        best = min(best, time.perf_counter() - start)
    return best, result


def lexicon_terms(active) -> list[str]:
    return list(active.lexicon._keys)


def compare(docs, terms, label, repeat=9):
    megabytes = sum(len(d.encode()) for d in docs) / 1024 / 1024
    bare = ahocorasick_rs.AhoCorasick(terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    scan_text(docs[0])
    gc.freeze()  # as the archive workers do (engine.hold_rules): no full collections of startup objects
    zwgk_s = bare_s = float("inf")
    for _ in range(repeat):  # interleaved, best of each: both see the same load on a shared machine
        t, zwgk_hits = timed(lambda ds: sum(len(scan_text(d)) for d in ds), docs, 1)
        zwgk_s = min(zwgk_s, t)
        t, bare_hits = timed(lambda ds: sum(len(bare.find_matches_as_indexes(d)) for d in ds), docs, 1)
        bare_s = min(bare_s, t)
    print(f"[{label}] {len(terms)} lexicon terms, {len(docs)} documents, {megabytes:.1f} MB (UTF-8)")
    print(
        f"  zwgk scan_text (all detectors)    {megabytes / zwgk_s:7.1f} MB/s per core  {zwgk_hits} findings"
    )
    print(f"  bare ahocorasick-rs LeftmostLong. {megabytes / bare_s:7.1f} MB/s per core  {bare_hits} matches")
    print(f"  ratio zwgk / bare: {bare_s / zwgk_s:.2f} (target >= 0.5)")
    return megabytes, zwgk_s, bare_s


def realistic_words(count: int, rng: random.Random) -> list[str]:
    """`count` distinct 2–6 character words of the 3,755 common characters (GB 2312 level 1): realistic
    shapes and lengths; like real lexicon words they occur in documents, but rarely."""
    chars = [
        bytes([hi, lo]).decode("gb2312")
        for hi in range(0xB0, 0xD8)
        for lo in range(0xA1, 0xFF)
        if not (hi == 0xD7 and lo > 0xF9)
    ]
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(chars) for _ in range(rng.choice([2, 2, 3, 3, 4, 4, 5, 6]))))
    return sorted(words)


def big_lexicon_child(words: int, megabytes: float):
    """In a fresh process: load a `words`-word lexicon; print JSON with load time, RSS and speeds."""
    docs = build_corpus(megabytes, random.Random(5))
    vocabulary = realistic_words(words, random.Random(7))
    engine.rules()  # Django, the starter lexicons and the normalisation tables: the baseline RSS
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    rules = engine.Rules(
        [(w, "测试", "提示") for w in vocabulary],
        EXPRESSIONS,
        [(w, c, "提示") for w, c in TYPOS],
        [],
    )
    load_s = time.perf_counter() - start
    after_load = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    engine._cache.update(rules=rules, at=time.monotonic() + 10**9)
    _, zwgk_s, bare_s = compare(docs, lexicon_terms(rules), f"{words:,}-word lexicon")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "load_s": load_s,
                "rss_before_mb": before / 1024,
                "rss_loaded_mb": after_load / 1024,
                "rss_peak_mb": peak / 1024,
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=3.0)
    parser.add_argument("--words", type=int, default=50_000, help="size of the big lexicon (0: skip)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        big_lexicon_child(args.words, args.mb)
        return
    print(
        f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (uptime), "
        f"{os.cpu_count()} cores"
    )
    docs = build_corpus(args.mb, random.Random(5))
    active = engine.rules()
    megabytes, zwgk_s, _ = compare(docs, lexicon_terms(active), "starter lexicon (back office tables)")
    terms = [w for w, *_ in SENSITIVE_WORDS] + [w for w, *_ in EXPRESSIONS] + [w for w, _ in TYPOS]
    naive = re.compile("|".join(map(re.escape, terms)) + r"|\d{17}[\dXx]|1[3-9]\d{9}")
    naive_s, naive_hits = timed(lambda ds: sum(len(naive.findall(d)) for d in ds), docs)
    print(f"  naive regex (nothing validated)   {megabytes / naive_s:7.1f} MB/s per core  {naive_hits} hits")
    per_city = 450_000 * 4 / 1024  # 450k items of ~4 KB
    print(
        f"  projected text-only time for a 450,000-item archive (~{per_city:.0f} MB): "
        f"{per_city / (megabytes / zwgk_s) / 60:.1f} min on one core"
    )
    if args.words:
        child = [sys.executable, __file__, "--child", "--words", str(args.words), "--mb", str(args.mb)]
        start = time.perf_counter()
        output = subprocess.run(child, capture_output=True, text=True, check=True).stdout
        lines = output.strip().splitlines()
        stats = json.loads(lines[-1])
        print("\n".join(lines[:-1]))
        print(
            f"  load {stats['load_s']:.2f} s; peak RSS {stats['rss_peak_mb']:.0f} MB "
            f"(process before loading: {stats['rss_before_mb']:.0f} MB, after loading: "
            f"{stats['rss_loaded_mb']:.0f} MB); "
            f"child total {time.perf_counter() - start:.0f} s"
        )
    print(f"load: {os.getloadavg()[0]:.2f} (uptime, 1 min) at the end")


if __name__ == "__main__":
    main()
