"""Screening: personal information, sensitive words, wrong expressions and typos, links.

Public interface (contract of issue #4): `scan_text(text) -> list[Finding]` and the `zwgk screen` command.
"""

from .findings import Finding

__all__ = ["Finding", "scan_text"]


def scan_text(text: str) -> list[Finding]:
    """Every finding in `text`, sorted by position (see engine.scan_text)."""
    from .engine import scan_text as _scan_text  # ready: the engine imports the models, not loadable yet

    return _scan_text(text)
