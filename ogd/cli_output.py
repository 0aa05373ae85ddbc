"""What the `ogd` command shows: progress per pipeline and stage with rows/s, summary tables.

Part of the command line (with `cli.py`, the only code that writes to the terminal).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from rich.console import Console
from rich.progress import (
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from ogd.pipeline.history import RunRecord
from ogd.pipeline.runner import RunResult

OUTCOME_STYLE = {"published": "green", "unchanged": "cyan", "dry-run": "yellow", "failed": "red"}


class RowsColumn(ProgressColumn):
    """Rows done and rows per second."""

    def render(self, task: Task) -> Text:
        """Render the column for a task."""
        speed = f"{task.speed:,.0f} rows/s" if task.speed else ""
        return Text(f"{int(task.completed):>12,} rows  {speed:>16}".replace(",", "'"))


class RunConsole:
    """Progress while pipelines run, then a summary table."""

    def __init__(self, *, quiet: bool = False, dry_run: bool = False) -> None:
        self.quiet, self.dry_run = quiet, dry_run
        self.out = Console(stderr=False, highlight=False)
        self.err = Console(stderr=True, highlight=False)
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            RowsColumn(),
            TimeElapsedColumn(),
            console=self.err,
            disable=quiet or not self.err.is_terminal,
            transient=True,
        )
        self._tasks: dict[str, Any] = {}
        self._stage: dict[str, str] = {}

    def __enter__(self) -> RunConsole:
        self._progress.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.__exit__(kind, exc, tb)

    def progress(self, pipeline: str, stage: str, rows: int) -> None:
        """Called by the runner: a pipeline reached a stage, or processed more rows."""
        description = f"{pipeline} · {stage}"
        if pipeline not in self._tasks:
            self._tasks[pipeline] = self._progress.add_task(description, total=None)
        task = self._tasks[pipeline]
        if self._stage.get(pipeline) != stage:
            self._stage[pipeline] = stage
            self._progress.reset(task, description=description, total=None)
        self._progress.update(task, completed=rows)

    def done(self, result: RunResult) -> None:
        """A pipeline finished: stop its task, print its error and, for dry runs, reports."""
        if result.pipeline in self._tasks:
            self._progress.remove_task(self._tasks.pop(result.pipeline))
        if result.error is not None:
            err = result.error
            where = f"{err.where}: " if err.where else ""
            self.err.print(
                f"[red]error[/red] {result.pipeline}: {where}{err.message}",
                markup=True,
                highlight=False,
            )
            if err.hint:
                self.err.print(f"  hint: {err.hint}", markup=False)
        if self.dry_run and not self.quiet:
            self.out.print_json(json.dumps(result.reports, ensure_ascii=False, default=str))

    def summary(self, results: Sequence[RunResult]) -> None:
        """The table of all runs."""
        if self.quiet or not results:
            return
        table = Table(title="Pipelines")
        for column in ("pipeline", "rows in", "rows out", "errors", "outcome", "duration"):
            table.add_column(column, justify="right" if "rows" in column else "left")
        for r in results:
            style = OUTCOME_STYLE.get(r.outcome, "")
            table.add_row(
                r.pipeline,
                f"{r.rows_in:,}".replace(",", "'"),
                f"{r.rows_out:,}".replace(",", "'"),
                "1" if r.error else "0",
                f"[{style}]{r.outcome}[/{style}]",
                f"{r.seconds:.1f} s",
            )
        self.out.print(table)

    @staticmethod
    def as_dict(result: RunResult) -> dict[str, Any]:
        """A result for `--json`."""
        error = result.error
        return {
            "pipeline": result.pipeline,
            "outcome": result.outcome,
            "rows_in": result.rows_in,
            "rows_out": result.rows_out,
            "tables": result.tables,
            "release_id": result.release_id,
            "seconds": round(result.seconds, 3),
            "steps": result.steps,
            "error": None
            if error is None
            else {
                "code": error.code,
                "message": error.message,
                "where": error.where,
                "hint": error.hint,
            },
        }


def print_runs(records: Sequence[RunRecord]) -> None:
    """The table of recorded runs."""
    console = Console(file=sys.stdout, highlight=False, width=None if sys.stdout.isatty() else 160)
    table = Table(title="Runs")
    for column in ("started", "pipeline", "outcome", "rows in", "rows out", "user", "release"):
        table.add_column(column)
    for r in records:
        style = OUTCOME_STYLE.get(r.outcome, "")
        table.add_row(
            r.started[:19].replace("T", " "),
            r.pipeline,
            f"[{style}]{r.outcome}[/{style}]",
            f"{r.rows_in:,}".replace(",", "'"),
            f"{r.rows_out:,}".replace(",", "'"),
            r.user,
            r.release_id or "",
        )
    console.print(table)
