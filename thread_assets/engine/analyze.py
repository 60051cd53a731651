"""One file in, one :class:`FileAnalysis` out, whatever the bytes are.

Bad input is data, not an exception: binary, oversized, undecodable or unparseable files each
produce a record with a ``reason`` and whatever could be extracted.
"""

from __future__ import annotations

from msgspec.structs import replace

from .detect import detect_language
from .extract import extractor_for
from .extract.common import Source
from .extract.go_build import header_constraint, never_builds
from .languages import LANGUAGES
from .model import Binding, FileAnalysis, TypeRelation
from .parse import content_hash, parse, summarize
from .semantics import semantics_for

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
"""Files above this are recorded as skipped: generated or vendored blobs cost more than they tell."""

BINARY_SNIFF_BYTES = 8192


def is_binary(head: bytes) -> bool:
    """A NUL byte in the first 8 KiB, as git and grep decide it."""
    return b"\x00" in head[:BINARY_SNIFF_BYTES]


def analyze(
    path: str,
    source: bytes,
    language: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    bounded: bool = False,
    parse_only: bool = False,
) -> FileAnalysis:
    """``bounded=True`` says the caller enforces a time limit (the batch pool's workers do): only
    then are grammars known to hang (``LanguageInfo.may_hang``) parsed at all. ``parse_only``
    stops after the parse summary (level "parse"), with the same skip rules."""
    digest = content_hash(source)
    size = len(source)
    if language is None:
        language = detect_language(path, source)
    base = FileAnalysis(path=path, language=language, status="skipped", content_hash=digest, size_bytes=size)
    if size > max_bytes:
        return replace(base, status="skipped", reason=f"too large: {size} bytes > limit {max_bytes}")
    if is_binary(source):
        return replace(base, status="skipped", reason="binary: NUL byte in the first 8 KiB")
    if language is None:
        return replace(base, status="skipped", reason="unknown language")
    info = LANGUAGES.get(language)
    if info is None:
        return replace(base, status="skipped", reason=f"unsupported language {language!r}")
    if info.may_hang and not bounded:
        return replace(
            base, status="skipped", reason=f"{language} grammar can hang: parsed only under a time limit (batch)"
        )
    notes: list[str] = []
    try:
        source.decode("utf-8")
    except UnicodeDecodeError as exc:
        notes.append(f"invalid UTF-8 at byte {exc.start}: text decoded with replacement characters")
    if size == 0:
        notes.append("empty file")
    tree, parse_ms = parse(source, language)
    summary = summarize(tree, source, language, parse_ms, digest)
    if summary.error_ratio >= 0.999 and size:
        notes.append("only syntax errors")
    extractor = None if parse_only else extractor_for(language, info.level)
    if extractor is None:
        return replace(base, status="ok", reason="; ".join(notes) or None, level="parse", summary=summary)
    relations: tuple[TypeRelation, ...] = ()
    bindings: tuple[Binding, ...] = ()
    try:
        src = Source(source)
        symbols, imports, calls = extractor(tree.root_node, src, language)
        semantic = semantics_for(language) if info.level == "full" else None
        if semantic is not None:
            calls, relations, bindings = semantic(tree.root_node, src, language, symbols, imports, calls)
    except RecursionError:
        notes.append("extraction aborted: nesting too deep")
        return replace(base, status="error", reason="; ".join(notes), level="parse", summary=summary)
    except Exception as exc:  # an extractor bug must not lose the file's record
        notes.append(f"extraction failed: {type(exc).__name__}: {exc}")
        return replace(base, status="error", reason="; ".join(notes), level="parse", summary=summary)
    if language == "go":
        constraint = header_constraint(source)
        base = replace(base, build_constraint=constraint, build_ignored=never_builds(constraint))
    return replace(
        base,
        status="ok",
        reason="; ".join(notes) or None,
        level=info.level,
        summary=summary,
        symbols=symbols,
        imports=imports,
        calls=calls,
        relations=relations,
        bindings=bindings,
    )
