"""The README's CLI table against the argument parser (``thread_assets.cli.build_parser``).

The rule, stated in the README above the table: a row shows its command's positional arguments
and every option it takes, except ``-h/--help`` and the three options described once above the
table (``--store``, ``--repo``, ``--json``), each in a bullet that ends "Every command but ...",
naming exactly the commands without it; a row may still show one of those, but only where its
command has it. A value after an option is a placeholder in capitals (``GLOB``, ``N``,
``FILE.jsonl``), the option's choices (``in\\|out\\|both``, all of them) or its default
(``--port 3000``); each is checked as such.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from thread_assets.cli import build_parser

README = Path(__file__).resolve().parent.parent / "README.md"
TABLE_HEADER = "| command | what it does |"
COMMON = {"--store": "`--store URL`", "--repo": "`--repo NAME`", "--json": "`--json`"}
"""Options a row may leave out, each as its bullet above the table names it."""
PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_]*(\.[a-z0-9]+)?$")


@dataclass
class Usage:
    """One `thread ...` usage from the table's first column."""

    text: str
    command: str
    positionals: list[tuple[str, bool]] = field(default_factory=list)
    """(NAME, optional) in order."""
    options: dict[str, str | None] = field(default_factory=dict)
    """option string as shown -> the value shown after it (None: none)."""


def parse_usage(text: str) -> Usage:
    tokens = text.replace("[", " [ ").replace("]", " ] ").split()
    assert tokens[0] == "thread" and len(tokens) > 1, f"not a thread command: {text!r}"
    usage = Usage(text, tokens[1])
    depth = 0
    last_option: str | None = None
    for token in tokens[2:]:
        if token in ("[", "]"):
            depth += 1 if token == "[" else -1
            last_option = None
        elif token.startswith("-"):
            usage.options[token] = None
            last_option = token
        elif last_option is not None:
            usage.options[last_option] = token
            last_option = None
        else:
            usage.positionals.append((token, depth > 0))
    assert depth == 0, f"unbalanced brackets in {text!r}"
    return usage


def cli_section(readme: str) -> tuple[str, list[str]]:
    """(the text between "## CLI" and the table, the table's rows)."""
    lines = readme.splitlines()
    start = lines.index("## CLI")
    header = lines.index(TABLE_HEADER, start)
    rows = []
    for line in lines[header + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return "\n".join(lines[start + 1 : header]), rows


def table_usages(rows: list[str]) -> tuple[list[Usage], list[str]]:
    usages: list[Usage] = []
    problems: list[str] = []
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row)
        spans = re.findall(r"`(thread [^`]*)`", cells[1]) if len(cells) > 2 else []
        if not spans:
            problems.append(f"a row of the CLI table names no `thread ...` command: {row}")
        usages += [parse_usage(span.replace("\\|", "|")) for span in spans]
    return usages, problems


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def options_of(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """option string (``--output``, ``-o``) -> its action."""
    return {s: a for a in parser._actions for s in a.option_strings}


def check_value(usage: Usage, shown: str, value: str | None, action: argparse.Action) -> list[str]:
    where = f"`{usage.text}`: {shown}"
    if action.nargs == 0:
        return [] if value is None else [f"{where} takes no value, the row shows {value!r}"]
    if value is None:
        return [f"{where} takes a value; show a placeholder, its choices or its default"]
    if "|" in value:
        choices = value.split("|")
        expected = [str(c) for c in action.choices or ()]
        return [] if sorted(choices) == sorted(expected) else [f"{where} choices {choices} != parser's {expected}"]
    if PLACEHOLDER.match(value):
        return []
    default = action.default
    try:
        shown_value = action.type(value) if callable(action.type) else value
    except (TypeError, ValueError):
        return [f"{where} shows {value!r}, which is not a valid value"]
    if default is None or shown_value != default:
        return [f"{where} shows {value!r} as if a default, the parser's default is {default!r}"]
    return []


def check_usage(usage: Usage, parser: argparse.ArgumentParser) -> list[str]:
    problems = []
    by_string = options_of(parser)
    for shown, value in usage.options.items():
        action = by_string.get(shown)
        if action is None:
            problems.append(f"`{usage.text}`: thread {usage.command} has no option {shown}")
        else:
            problems += check_value(usage, shown, value, action)
    for action in parser._actions:
        strings = action.option_strings
        if not strings or isinstance(action, argparse._HelpAction) or set(strings) & COMMON.keys():
            continue
        if not set(strings) & usage.options.keys():
            problems.append(f"`{usage.text}`: the row leaves out {'/'.join(strings)}")
    positionals = [
        (action.metavar if isinstance(action.metavar, str) else action.dest.upper(), action.nargs in ("?", "*"))
        for action in parser._actions
        if not action.option_strings
    ]
    if usage.positionals != positionals:
        problems.append(f"`{usage.text}`: arguments {usage.positionals} != parser's {positionals} (NAME, optional)")
    return problems


def common_problems(intro: str, parsers: dict[str, argparse.ArgumentParser]) -> list[str]:
    """Each common option has a bullet above the table ending "Every command but `a` and `b`.",
    and exactly the commands named there lack it."""
    bullets = re.split(r"\n(?=- )", intro)
    problems = []
    for option, text in COMMON.items():
        bullet = next((b for b in bullets if b.startswith(f"- {text}")), None)
        if bullet is None:
            problems.append(f"no bullet above the CLI table describes {text}")
            continue
        but = re.search(r"Every command but (.+?)\.", " ".join(bullet.split()))
        named = set(re.findall(r"`([a-z-]+)`", but[1])) if but else set()
        lacking = {name for name, parser in parsers.items() if option not in options_of(parser)}
        if named != lacking:
            problems.append(f"{text}: the README says every command but {sorted(named)}, the parser {sorted(lacking)}")
    return problems


def readme_problems(readme: str) -> list[str]:
    """Every way the README's CLI section disagrees with the parser (empty: it agrees)."""
    intro, rows = cli_section(readme)
    parsers = subcommands()
    problems = common_problems(intro, parsers)
    usages, unnamed = table_usages(rows)
    problems += unnamed
    seen: set[str] = set()
    for usage in usages:
        if usage.command in seen:
            problems.append(f"thread {usage.command} has two rows")
        seen.add(usage.command)
        if usage.command not in parsers:
            problems.append(f"the table lists `thread {usage.command}`, which the parser does not have")
        else:
            problems += check_usage(usage, parsers[usage.command])
    problems += [f"thread {name} is missing from the table" for name in sorted(parsers.keys() - seen)]
    return problems


def test_readme_cli_table_matches_the_parser() -> None:
    problems = readme_problems(README.read_text(encoding="utf-8"))
    assert problems == [], "README.md's CLI table disagrees with `thread --help`:\n" + "\n".join(problems)


def _edit(readme: str, old: str, new: str) -> str:
    assert old in readme, f"the README no longer contains {old!r}: update this test's example"
    return readme.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param("| `thread stats` |", "| `thread stat` |", "which the parser does not have", id="renamed"),
        pytest.param("| `thread stats` |", "| nothing |", "names no `thread ...` command", id="no-command"),
        pytest.param(" [--force]", "", "leaves out --force", id="option-missing"),
        pytest.param(" [--force]", " [--force] [--dry-run]", "has no option --dry-run", id="unknown-option"),
        pytest.param("--debounce-ms 15]", "--debounce-ms 30]", "parser's default is 15", id="wrong-default"),
        pytest.param("in\\|out\\|both", "in\\|out", "choices", id="wrong-choices"),
        pytest.param("`thread deps PATH ", "`thread deps [PATH] ", "arguments", id="optional-positional"),
        pytest.param("- `--repo NAME`", "- `--repository NAME`", "describes `--repo NAME`", id="common-undescribed"),
        pytest.param("`serve` and `export`.", "`serve`, `export` and `analyze`.", "command but", id="common-wrong"),
    ],
)
def test_the_check_fails_on_a_wrong_table(old: str, new: str, expected: str) -> None:
    """The comparison can fail: each edit of the real README makes it report the difference."""
    problems = readme_problems(_edit(README.read_text(encoding="utf-8"), old, new))
    assert any(expected in p for p in problems), problems


def test_the_check_fails_on_a_missing_row() -> None:
    readme = README.read_text(encoding="utf-8")
    _, rows = cli_section(readme)
    row = next(r for r in rows if r.startswith("| `thread stats`"))
    problems = readme_problems(readme.replace(row + "\n", "", 1))
    assert "thread stats is missing from the table" in problems, problems
