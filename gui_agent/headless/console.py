"""The terminal side of ``gui-agent test``: a line per task as it ends, then a summary table.

Plain lines rather than a live display, because CI logs keep lines and mangle redraws.
"""

from __future__ import annotations

import time

from rich.console import Console
from rich.table import Table

from gui_agent.headless.results import TaskResult
from gui_agent.headless.taskfile import TaskFile

_STYLE = {"passed": "green", "failed": "red", "error": "magenta"}


class TestConsole:
    def __init__(self, total: int, jobs: int, console: Console | None = None) -> None:
        self.console = console or Console(highlight=False)
        self.total = total
        self.done = 0
        self.t0 = time.monotonic()
        self.console.print(f"running {total} task{'s' if total != 1 else ''}, {jobs} at a time")

    def started(self, task: TaskFile) -> None:
        self.console.print(f"  [dim]start[/dim] {task.name}")

    def finished(self, result: TaskResult) -> None:
        self.done += 1
        style = _STYLE[result.status]
        why = f" [dim]- {result.reason}[/dim]" if result.reason else ""
        self.console.print(f"[{self.done}/{self.total}] [{style}]{result.status.upper()}[/{style}]"
                           f" {result.name} ({result.duration:.1f} s){why}")  # fmt: skip

    def summary(self, results: list[TaskResult], not_run: int = 0) -> None:
        table = Table(title="gui-agent test")
        for col in ("task", "status", "steps", "seconds", "reason"):
            table.add_column(col, overflow="fold")
        for r in results:
            style = _STYLE[r.status]
            table.add_row(r.name, f"[{style}]{r.status}[/{style}]", str(len(r.steps)),
                          f"{r.duration:.1f}", r.reason)  # fmt: skip
        self.console.print(table)
        counts = {s: sum(r.status == s for r in results) for s in _STYLE}
        line = ", ".join(f"{n} {s}" for s, n in counts.items())
        if not_run:
            line += f", {not_run} not run (a task failed; --keep-going runs them all)"
        self.console.print(f"{line} in {time.monotonic() - self.t0:.1f} s")
