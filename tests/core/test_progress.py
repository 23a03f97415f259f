"""The progress line of long commands (core/progress.py): redrawn on a terminal, a line a twentieth in a log."""

import io

from django.core.management.base import OutputWrapper

from zwgk.core.progress import ProgressLine


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_log_gets_a_line_every_twentieth_and_the_last():
    out = io.StringIO()
    line = ProgressLine(OutputWrapper(out))
    for done in range(0, 1001, 10):
        line.update(done, 1000, note="，发现 0 个问题")
    line.end()
    lines = out.getvalue().splitlines()
    assert len(lines) == 21  # 0 %, 5 %, … 100 %
    assert lines[-1].startswith("[" + "#" * 30 + "] 1000/1000 条，发现 0 个问题（")
    assert "\r" not in out.getvalue()


def test_terminal_redraws_one_line_and_a_new_phase_keeps_the_old_one():
    out = Terminal()
    line = ProgressLine(OutputWrapper(out), bar=False)
    line.update(5, 10, label="信息")
    line.update(10, 10, label="信息")
    line.update(1, 4, label="站群信息")  # a new label: the finished phase keeps its line
    line.end()
    text = out.getvalue()
    assert text.count("\n") == 2
    first, second = text.split("\n")[:2]
    assert first.split("\r")[-1].startswith("信息 10/10 条")
    assert second.split("\r")[-1] == "站群信息 1/4 条"  # no rate before the phase has moved


def test_rate_leaves_out_what_a_resumed_run_had_done():
    line = ProgressLine(OutputWrapper(io.StringIO()), "页")
    line.update(900, 1000)  # the pages already current
    line.since -= 2  # two seconds later …
    line.update(1000, 1000)
    assert 40 <= line.rate <= 50  # 100 pages in about 2 s, not 1,000
