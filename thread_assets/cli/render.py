"""How the CLI shows things: Rich tables on stdout, progress bars on stderr (only on a terminal)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table


def progress_bar(quiet: bool, *extra: ProgressColumn) -> Progress:
    """A transient progress bar on stderr, off with ``--quiet`` or when stderr is not a terminal."""
    err = Console(stderr=True)
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        *extra,
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )


def table(
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    numeric: Sequence[str] = (),
    keep: Sequence[str] = (),
) -> Table:
    """A table of ``rows`` (None shows as blank, booleans as yes/no); columns named in ``numeric``
    are right-aligned. A cell too long for its column folds onto more lines: nothing is cut off;
    the columns named in ``keep`` are not wrapped while the others can give way."""
    out = Table(title=title)
    for col in columns:
        out.add_column(col, justify="right" if col in numeric else "left", overflow="fold", no_wrap=col in keep)
    for row in rows:
        out.add_row(*(_cell(cell) for cell in row))
    return out


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def counts_table(
    title: str, counts: Iterable[tuple[str, object]], *, label: str = "what", value: str = "count"
) -> Table:
    """A two-column table: a label and a right-aligned number (or value) per row."""
    return table(title, (label, value), counts, numeric=(value,))
