"""C and C++ extraction: one module, ``language`` is ``"c"`` or ``"cpp"``.

Declarations are read by a walk over declaration-level nodes only (file scope, namespaces,
``extern "C"`` blocks, class bodies, preprocessor branches: tree-sitter keeps both sides of an
``#ifdef``), never entering function bodies, so locals are not emitted. Calls, includes, using
declarations, macros and local types are collected by one query pass over the whole tree
(``queries/<c|cpp>/refs.scm``).

Decisions worth knowing:

- Locations span the whole definition node (from the return type or ``typedef`` keyword), not
  the name's line; a template's location is its templated entity, the ``template <...>`` header
  goes to the signature and ``generics``.
- ``typedef struct { ... } name_t;`` is one ``struct`` named ``name_t``; a named tag plus
  typedef gives the struct and a ``type_alias``. Members of anonymous structs/unions belong to
  the enclosing type (C11 anonymous members) or to the variable they declare.
- Class template specializations keep the arguments in the qualified name
  (``type_caster<bool>``) so they do not collide with the primary template.
- Types and type aliases defined inside function bodies are emitted as private children of the
  function; local variables never are.
- A reopened namespace is one symbol (the first block); later blocks add children to it.
- Operators are named ctags' way: ``operator ==``, ``operator new[]``, ``operator bool``.
- ``TEST_IMPL(name) { ... }`` (a macro expanding to a function header) is a function named after
  the macro, with the macro arguments as parameters, so each gets its own id.
- Hidden friends (``friend bool operator==(...) { ... }``) are functions listed under the class.

- Prototypes and ``extern`` variables are emitted only when the file does not also define them
  (then the definition inherits their visibility, attributes and doc comment). Their signature
  keeps the closing ``;``, which tells a declaration from a definition.
- In-class member declarations (``void bar();``) are methods of the class; an out-of-class
  ``void Foo::bar() {}`` in the same file replaces its in-class declaration and gets the class as
  parent. If the class is not in the file it is still a method with qualified name ``Foo.bar``.
- ``#include`` binds no name: ``bound`` is None and ``used`` stays True. ``using namespace std;``
  is a wildcard import of ``std``; ``using std::vector;`` an absolute import binding ``vector``;
  ``namespace fs = std::filesystem;`` binds ``fs``.
- A call whose callee is a macro ``#define``d in the same file is a ``macro`` call; a call to a
  class declared in the file (``Foo(1)``) or ``new Foo`` is a ``constructor`` call; ``Foo::bar()``
  is a ``method`` call when ``Foo`` is a class of this file or has template arguments, otherwise
  (``ns::f()``) a ``direct`` call with receiver ``ns``.
- Exported: functions and variables not ``static`` and not in an anonymous namespace; types,
  typedefs and macros at file or namespace scope (an includer sees them); members when their
  class is exported and they are public.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from tree_sitter import Node
from tree_sitter_language_pack import get_language

from . import Extraction
from .c_family_refs import emit_calls, emit_imports, emit_macros
from .c_family_walk import Draft, Walker, merge_declarations
from .common import Builder, Source, captures, names_in

_QUERIES = Path(__file__).resolve().parent.parent / "queries"


@cache
def _query(language: str, name: str) -> str:
    return (_QUERIES / language / f"{name}.scm").read_text(encoding="utf-8")


def extract(root: Node, src: Source, language: str) -> Extraction:
    cpp = language == "cpp"
    lang_name = "cpp" if cpp else "c"
    grammar = get_language("cpp") if cpp else get_language("c")
    walker = Walker(src=src, cpp=cpp)
    walker.run(root)
    refs = _group(captures(grammar, _query(lang_name, "refs"), root).get("ref", []))
    if refs.get("type"):
        walker.local_types(refs["type"])
    merge_declarations(walker.drafts)
    builder = Builder()
    handles = _emit_symbols(builder, walker.drafts)
    macros = emit_macros(builder, refs.get("macro", []), src)
    import_ranges = emit_imports(builder, refs, src)
    callers = sorted((s, -e, h) for s, e, d in walker.bodies if (h := handles[d]) is not None)
    emit_calls(builder, refs.get("call", []), src, callers, macros, walker, cpp)
    used: set[str] | None = None
    if any(imp.bound is not None for imp in builder.imports):
        used = names_in(root, src, grammar, _query(lang_name, "names"), import_ranges)
    return builder.finish(used)


_REF_GROUPS = {
    "call_expression": "call",
    "new_expression": "call",
    "preproc_include": "include",
    "import_declaration": "import",
    "using_declaration": "using",
    "namespace_alias_definition": "alias",
    "preproc_def": "macro",
    "preproc_function_def": "macro",
}


def _group(nodes: list[Node]) -> dict[str, list[Node]]:
    """The refs query captures everything under one name (one pattern, one pass is cheapest);
    split by node type, keeping file order, outer first at one start (``f(a)(b)``): the order the
    captures come in at equal starts is not fixed, and a record's order must depend on the
    content only."""
    out: dict[str, list[Node]] = {}
    for node in sorted(nodes, key=lambda n: (n.start_byte, -n.end_byte)):
        out.setdefault(_REF_GROUPS.get(node.type, "type"), []).append(node)
    return out


def _emit_symbols(builder: Builder, drafts: list[Draft]) -> list[int | None]:
    handles: list[int | None] = [None] * len(drafts)
    for i, d in enumerate(drafts):
        if d.dropped:
            continue
        parent = d.parent
        while parent is not None and handles[parent] is None:
            parent = drafts[parent].parent
        handles[i] = builder.add_symbol(
            name=d.name,
            kind=d.kind,
            location=d.location,
            parent=None if parent is None else handles[parent],
            visibility=d.visibility,
            signature=d.signature,
            parameters=d.parameters,
            return_type=d.return_type,
            generics=d.generics,
            decorators=d.decorators,
            docstring=d.docstring,
            exported=d.exported,
            qualified_name=d.qn,
        )
    return handles
