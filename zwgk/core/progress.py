"""The progress line of a long command (`zwgk demo`, `reindex`, `screen-archive`, `static rebuild`).

On a terminal one line is redrawn in place; in a log (output not a terminal) a line is written every
twentieth of the work and at its end, so that a night's run leaves a readable trail. The rate counts from
the first report of a phase: a resumed run's earlier part, already done, does not inflate it.
"""

import time


class ProgressLine:
    """`update(done, total)` as the work goes on, `end()` when it stops (the last line stays).

    `stream`: a management command's `self.stdout` or `self.stderr`; `unit`: 条, 页 …; `bar`: draw a
    30-character bar. A new `label`, or a count that goes back, starts a new phase on a line of its own.
    """

    STEPS = 20  # lines per phase in a log

    def __init__(self, stream, unit: str = "条", *, bar: bool = True):
        self.stream = stream
        self.unit = unit
        self.bar = bar
        self.interactive = stream.isatty()
        self.label = None
        self.first = self.last = 0
        self.since = None
        self.logged = -1  # the last twentieth written to a log
        self.open = False  # a terminal line drawn and not yet ended
        self.rate = 0.0  # per second, this phase so far

    def update(self, done: int, total: int, *, label: str = "", note: str = "") -> None:
        now = time.monotonic()
        if self.since is None or label != self.label or done < self.last:
            self.end()
            self.label, self.first, self.since, self.logged = label, done, now, -1
        self.last = done
        elapsed = now - self.since
        self.rate = (done - self.first) / elapsed if elapsed > 0 else 0.0
        rate = f"（{self.rate:.0f} {self.unit}/秒）" if done > self.first and elapsed > 0 else ""
        head = f"{label} " if label else ""
        bar = ""
        if self.bar:
            filled = int(30 * min(done, total) / total) if total else 0
            bar = f"[{'#' * filled:<30}] "
        line = f"{head}{bar}{min(done, total)}/{total} {self.unit}{note}{rate}"
        if self.interactive:
            self.stream.write(f"\r{line}", ending="")
            self.stream.flush()
            self.open = True
            return
        step = self.STEPS * min(done, total) // total if total else self.STEPS
        if step > self.logged:
            self.logged = step
            self.stream.write(line)

    def end(self) -> None:
        """Close the terminal line (a log's lines are complete already)."""
        if self.open:
            self.stream.write("")
            self.open = False
