"""Evaluating semantic call targets (``model.Ref``) across files.

A file's semantic pass says what a callee is in the file's own terms (``B`` called, then its
``m``; a parameter typed ``Document``, then its ``write``); this module follows those terms through
imports, re-export chains, module bindings, function results, class members and the class
hierarchy to the definitions they reach. The analysis is flow-insensitive: a name holds every value
it is ever given, and a call may get several edges.

What it may look at is bounded, so that it stays cheap and terminates: a value is followed through
at most ``MAX_DEPTH`` bindings, re-export chains at most ``MAX_FOLLOW`` hops, and at most
``MAX_OBJECTS`` values are kept per step. Every file read is recorded (``Lookup.reads``), memoized
results included, so the incremental graph step can redo exactly the files whose reads changed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

from ..model import Ref, Symbol, global_symbol_id
from .builtins import is_builtin
from .lookup import CLASS_LIKE, NAMESPACE_LIKE, Lookup, _Binding, _FileIndex

MAX_DEPTH = 40
MAX_FOLLOW = 8
MAX_OBJECTS = 24
CALLABLE = frozenset({"function", "method", "macro"})
TYPES = CLASS_LIKE | {"type_alias"}
DEFINED = CALLABLE | TYPES | NAMESPACE_LIKE
INTERFACE_LIKE = frozenset({"interface", "trait"})
MEMBERS = DEFINED | {"property"}
"""What a member lookup stops at (a property is read through its getter, see ``attribute``)."""
HIERARCHY = "<hierarchy>"
GO_METHODS = "<go-methods>"
"""A pseudo-path in a file's reads: its edges depend on which Go types satisfy an interface."""
"""A pseudo-path in a file's reads: its edges depend on the descendants of some type (dispatch)."""
CONSTRUCTOR_NAMES = {"python": ("__init__",), "javascript": ("constructor",), "typescript": ("constructor",)}
CONSTRUCTOR_NAMES["tsx"] = CONSTRUCTOR_NAMES["typescript"]
BASE_KINDS = frozenset({"extends", "implements", "embeds", "supertrait", "impl"})
DYNAMIC_LOADERS = frozenset({"importlib.import_module", "importlib.__import__"})
"""External functions whose result is code chosen at run time (a module named by a string):
what it holds, and any call through it, is ``dynamic``."""
OBJECT_ATTRIBUTES = frozenset(
    {
        "__class__",
        "__delattr__",
        "__dict__",
        "__dir__",
        "__doc__",
        "__eq__",
        "__format__",
        "__ge__",
        "__getattribute__",
        "__getstate__",
        "__gt__",
        "__hash__",
        "__init__",
        "__init_subclass__",
        "__le__",
        "__lt__",
        "__module__",
        "__ne__",
        "__new__",
        "__reduce__",
        "__reduce_ex__",
        "__repr__",
        "__setattr__",
        "__sizeof__",
        "__str__",
        "__subclasshook__",
        "__weakref__",
    }
)
"""What every Python instance has from ``object`` when no class of its order defines it."""

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Obj:
    """An abstract value: a definition (``sym``), a repository module (``mod``), an instance of
    a type (``inst``), an instance seen from after a class in its MRO (``super``), something
    external (``ext``: ``name`` is its dotted path, ``module`` the module it comes from), a
    builtin, or code chosen at run time (``dynamic``: ``name`` the loader that chose it)."""

    kind: str
    path: str = ""
    sym: Symbol | None = None
    name: str = ""
    module: str = ""
    via: str = ""
    recv: str | None = None
    after: str | None = None
    """For ``super``: the global id of the class the lookup starts after."""


def _dedupe(objs: Iterable[Obj]) -> list[Obj]:
    seen: dict[tuple[str, str, str, str, str | None], Obj] = {}
    for o in objs:
        key = (o.kind, o.path, o.sym.id if o.sym is not None else "", o.name, o.after)
        if key not in seen:
            seen[key] = o
            if len(seen) >= MAX_OBJECTS:
                break
    return list(seen.values())


def _is_property(o: Obj) -> bool:
    return o.kind == "sym" and o.sym is not None and o.sym.kind == "property"


def _split_name(text: str) -> list[str]:
    return [p for p in text.replace("::", ".").split(".") if p]


def callee_module(dotted: str) -> str:
    """The module an external callee comes from: its dotted path without the called name and
    without trailing type names (``os.path.join`` -> ``os.path``, ``std.collections.HashMap.new``
    -> ``std.collections``)."""
    parts = _split_name(dotted)
    if len(parts) > 1:
        parts = parts[:-1]
    while len(parts) > 1 and parts[-1][:1].isupper():
        parts = parts[:-1]
    return ".".join(parts) if "::" not in dotted else "::".join(parts)


class Evaluator:
    def __init__(
        self,
        lookup: Lookup,
        children: Mapping[str, list[tuple[str, str]]] | None = None,
        elsewhere: Mapping[str, list[tuple[str, str]]] | None = None,
        go_methods: Mapping[str, list[tuple[str, str]]] | None = None,
    ) -> None:
        self.go_methods = go_methods or {}
        """Go method name -> (file, receiver type) of every Go method (``calls.go_method_index``)."""
        self.lookup = lookup
        self.children = children
        self.elsewhere = elsewhere or {}
        """Global id of a type -> (file, base global id) of relations written in another file than
        the type's (a Rust ``impl Trait for Type`` next to neither): the type's members there
        are its members too."""
        """Global id of a type -> (path, local id) of the types that name it as a base (for
        dispatch); None when the caller does not want dispatch edges."""
        self._memo: dict[tuple[object, ...], tuple[object, frozenset[str]]] = {}
        self._active: set[tuple[object, ...]] = set()
        self._tainted = False

    # ---- memoization that keeps the record of what was read

    def _memoized(self, key: tuple[object, ...], compute: Callable[[], T], empty: T) -> T:
        """``compute()``, remembered with the files it read. A result that met a cycle (a
        binding that holds itself, a key still being computed) or the depth limit depends on
        where the evaluation started, so it is not remembered: every remembered result is a
        function of the files alone, whatever order the files are resolved in (the incremental
        graph step resolves a subset of them and must get the same edges)."""
        hit = self._memo.get(key)
        if hit is not None:
            self.lookup.reads |= hit[1]
            return hit[0]  # type: ignore[return-value]
        if key in self._active:  # a cycle: no new values from here
            self._tainted = True
            return empty
        outer, outer_tainted = self.lookup.reads, self._tainted
        self.lookup.reads, self._tainted = set(), False
        self._active.add(key)
        try:
            value = compute()
        finally:
            self._active.discard(key)
            reads, tainted = self.lookup.reads, self._tainted
            self.lookup.reads, self._tainted = outer | reads, outer_tainted or tainted
        if not tainted:
            self._memo[key] = (value, frozenset(reads))
        return value

    # ---- entry point

    def evaluate(self, path: str, ref: Ref, depth: int = 0) -> list[Obj]:
        if depth > MAX_DEPTH:
            self._tainted = True
            return []
        return self._memoized(("eval", path, ref), lambda: self._evaluate(path, ref, depth), [])

    def _evaluate(self, path: str, ref: Ref, depth: int) -> list[Obj]:
        ops = ref.ops
        kind, _, text = ref.base.partition(":")
        objs: list[Obj]
        if kind == "n":
            objs, ops = self._dotted_import(path, text, ops)
            if not objs:
                objs = self.name(path, text, depth)
            if not objs and text.endswith("[]") and self._language(path) == "python":
                objs = self._elements(self.name(path, text[:-2], depth), depth)
        elif kind == "s":
            fi = self.lookup.index(path)
            sym = fi.symbols.get(text) if fi is not None else None
            objs = [] if sym is None else [Obj("sym", path, sym, via="local")]
            if sym is not None and ops[:1] == ("new",) and sym.kind in CLASS_LIKE | CALLABLE:
                objs = [Obj("inst", path, sym, via="self_method", recv=global_symbol_id(path, sym.id))]
                ops = ops[1:]
        elif kind == "b":
            objs = [Obj("builtin", name=text)]
        elif kind == "x":
            objs = [Obj("ext", name=text, module=text, via="external")]
        elif kind == "d":
            objs = [Obj("dynamic", name=text)]
        else:
            objs = []
        for op in ops:
            if not objs:
                break
            objs = _dedupe(o2 for o in objs for o2 in self.apply(o, op, depth))
        return objs

    def _dotted_import(self, path: str, name: str, ops: tuple[str, ...]) -> tuple[list[Obj], tuple[str, ...]]:
        """Python's ``import a.b`` binds ``a`` but means module ``a.b`` in ``a.b.f()``."""
        fi = self.lookup.index(path)
        if fi is None or not ops or not ops[0].startswith("."):
            return [], ops
        dotted = name
        best: tuple[_Binding, int] | None = None
        for i, op in enumerate(ops):
            if not op.startswith(".") or op.endswith("[]"):
                break
            dotted += op
            b = fi.receivers.get(dotted)
            if b is not None and b.imp.name is None and b.imp.module == dotted:
                best = (b, i + 1)
        if best is None:
            return [], ops
        b, used = best
        if b.target is None:
            return [Obj("ext", name=b.imp.module, module=b.imp.module, via="external")], ops[used:]
        return [Obj("mod", b.target, via="import")], ops[used:]

    # ---- names

    def name(self, path: str, name: str, depth: int) -> list[Obj]:
        """``name`` at the top level of ``path``, then its package, then the builtins."""

        def compute() -> list[Obj]:
            objs = self.module_member(path, name, depth, MAX_FOLLOW)
            if objs:
                return objs
            fi = self.lookup.index(path)
            if fi is None:
                return []
            if name in fi.top or (None, name) in fi.bindings or name in fi.bound:
                return []  # a variable of unknown value, or an import that leads nowhere known
            pkg = self.lookup.package_of(path)
            if pkg is not None:
                sym = pkg.top.get(name)
                if sym is not None and sym.kind in DEFINED:
                    return [Obj("sym", pkg.top_path[name], sym, via="same_package")]
                b = pkg.bindings.get((None, name))
                if b is not None:
                    return self._values(pkg.binding_path[(None, name)], b.values, depth)
            if is_builtin(fi.language, name):
                return [Obj("builtin", name=name)]
            return []

        return self._memoized(("name", path, name), compute, [])

    def module_member(self, path: str, name: str, depth: int, follow: int) -> list[Obj]:
        """What ``name`` is at the top level of module ``path`` (definitions, module bindings,
        imports followed, wildcard imports, Python submodules), without builtins."""
        return self._memoized(
            ("module", path, name, follow), lambda: self._module_member(path, name, depth, follow), []
        )

    def _module_member(self, path: str, name: str, depth: int, follow: int) -> list[Obj]:
        fi = self.lookup.index(path)
        if fi is None:
            pkg = self.lookup.package_of_target(path)
            if pkg is None:
                return []
            sym = pkg.top.get(name)
            return [] if sym is None else [Obj("sym", pkg.top_path[name], sym, via="module_qualified")]
        if fi.language == "go":
            pkg = self.lookup.package_of(path)
            if pkg is not None and name in pkg.top:
                sym = pkg.top[name]
                if sym.kind in DEFINED:
                    return [Obj("sym", pkg.top_path[name], sym, via="same_file")]
        sym = fi.top.get(name)
        if sym is not None and sym.kind in DEFINED:
            return [Obj("sym", path, sym, via="same_file")]
        b = fi.bindings.get((None, name))
        if b is not None:
            objs = self._values(path, b.values, depth)
            if objs:
                return objs
        imp = fi.bound.get(name) or fi.reexports.get(name)
        if sym is not None and (imp is None or b is not None):
            return []  # a variable of unknown value (one that also names an import: ``const x = require(...)``)
        if imp is not None and follow > 0:
            return self.imported(path, imp, depth, follow - 1)
        if name.endswith("[]") and follow > 0:  # a container imported by name: its elements
            held = fi.bound.get(name[:-2])
            if held is not None and held.target is not None and held.imp.name not in (None, "*", "default"):
                return self.module_member(held.target, f"{held.imp.name}[]", depth, follow - 1)
        # Python's ``import *`` leaves out _names (without __all__); a C header hides nothing
        if follow > 0 and not (fi.language == "python" and name.startswith("_")):
            for star in fi.star_targets:
                objs = self.module_member(star, name, depth, follow - 1)
                if objs:
                    return objs
        if path.endswith("/__init__.py") or path == "__init__.py":
            base = path[: -len("__init__.py")]
            for cand in (f"{base}{name}.py", f"{base}{name}/__init__.py"):
                if cand in self.lookup.analyses:
                    return [Obj("mod", cand, via="module_qualified")]
        return []

    def imported(self, path: str, b: _Binding, depth: int, follow: int) -> list[Obj]:
        imp = b.imp
        if b.target is None:
            dotted = imp.module if imp.name in (None, "*", "default") else f"{imp.module}.{imp.name}"
            return [Obj("ext", name=dotted, module=imp.module, via="external")]
        if imp.name is None or imp.name == "*":
            if imp.name is None and imp.alias is None and imp.bound and imp.module.startswith(imp.bound + "."):
                return []  # ``import a.b`` binds ``a``, which is not the module the import names
            return [Obj("mod", b.target, via="import")]
        if imp.name == "default":
            objs = self.module_member(b.target, "default", depth, follow)
            return objs or self._default_export(b.target)
        stem = b.target.rpartition("/")[2].partition(".")[0]
        submodule = stem == imp.name or f"/{b.target}".endswith(f"/{imp.name}/__init__.py")
        python = self._language(path) == "python"
        if submodule and python and imp.module.rstrip(".").rpartition(".")[2] != imp.name:
            # ``from pkg import sub`` resolved to the submodule itself: its names are not looked
            # up in it (``from django import forms`` is forms/__init__.py, not forms/forms.py)
            return [Obj("mod", b.target, via="import")]
        objs = self.module_member(b.target, imp.name, depth, follow)
        if objs:
            return [replace(o, via="import") if o.via in ("same_file", "module_qualified") else o for o in objs]
        found = self.lookup.imported_symbol(b)  # nested along the module path (Rust inline mods)
        if found is not None:
            return [Obj("sym", found[0], found[1], via="import")]
        if submodule:
            return [Obj("mod", b.target, via="import")]  # ``from pkg import submodule``
        return []

    def _default_export(self, path: str) -> list[Obj]:
        fi = self.lookup.index(path)
        if fi is None:
            return []
        for sym in fi.top.values():
            if sym.exported and "default" in sym.signature.split("(")[0].split() and sym.kind in DEFINED:
                return [Obj("sym", path, sym, via="import")]
        return []

    def _values(self, path: str, values: Iterable[Ref], depth: int) -> list[Obj]:
        out: list[Obj] = []
        for v in values:
            out.extend(self.evaluate(path, v, depth + 1))
        return _dedupe(out)

    # ---- operations

    def apply(self, o: Obj, op: str, depth: int) -> list[Obj]:
        if o.kind == "dynamic":
            return [o]
        if op.startswith("."):
            return self.attribute(o, op[1:], depth)
        if op == "()":
            return self.call_result(o, depth)
        if op == "new":
            # a function too: ``new Calendar()`` on an ES5 constructor with prototype methods
            if o.kind == "sym" and o.sym is not None and o.sym.kind in TYPES | CALLABLE:
                return [Obj("inst", o.path, o.sym, via="inferred", recv=global_symbol_id(o.path, o.sym.id))]
            if o.kind == "ext":
                return [replace(o, recv=o.name)]
            return [o] if o.kind == "builtin" else []
        if op == "super":
            if o.kind == "inst" and o.sym is not None:
                return [replace(o, kind="super", after=global_symbol_id(o.path, o.sym.id), via="super")]
            if o.kind == "sym" and o.sym is not None and o.sym.kind in CLASS_LIKE:  # in a classmethod
                gid = global_symbol_id(o.path, o.sym.id)
                return [Obj("super", o.path, o.sym, via="super", recv=gid, after=gid)]
            return []
        return []

    def attribute(self, o: Obj, attr: str, depth: int) -> list[Obj]:
        container = attr.endswith("[]")
        if o.kind == "mod":
            if container:
                fi = self.lookup.index(o.path)
                b = fi.bindings.get((None, attr)) if fi is not None else None
                return self._values(o.path, b.values, depth) if b is not None else []
            objs = self.module_member(o.path, attr, depth, MAX_FOLLOW)
            return [replace(x, via="module_qualified") if x.via == "same_file" else x for x in objs]
        if o.kind == "ext":
            dotted = f"{o.name}.{attr.removesuffix('[]')}"
            return [Obj("ext", name=dotted, module=o.module, via="external", recv=o.recv)]
        if o.kind == "builtin":
            return [Obj("builtin", name=f"{o.name}.{attr}")]
        if o.sym is None:
            return []
        if o.kind == "sym":
            if o.sym.kind in CALLABLE:  # what a function's parameters or attributes hold
                fi = self.lookup.index(o.path)
                b = fi.bindings.get((o.sym.id, attr)) if fi is not None else None
                return self._values(o.path, b.values, depth) if b is not None else []
            if o.sym.kind in NAMESPACE_LIKE:
                fi = self.lookup.index(o.path)
                sym = fi.by_qname.get(f"{o.sym.qualified_name}.{attr}") if fi is not None else None
                if sym is None and fi is not None and o.sym.qualified_name in fi.submodules:
                    target = fi.submodules[o.sym.qualified_name]  # Rust ``mod x;``: x's own file
                    objs = self.module_member(target, attr, depth, MAX_FOLLOW)
                    return [replace(x, via="module_qualified") if x.via == "same_file" else x for x in objs]
                return [] if sym is None else [Obj("sym", o.path, sym, via="type_qualified")]
            if o.sym.kind in TYPES:
                return self.member(o.path, o.sym, attr, depth, via="type_qualified", recv=None)
            return []
        if o.kind in ("inst", "super"):
            recv = global_symbol_id(o.path, o.sym.id)
            via = "self_method" if o.via == "self_method" else "inferred"
            if o.kind == "super":
                via = "super"
            if attr == "__class__" and self._language(o.path) == "python":
                return [Obj("sym", o.path, o.sym, via="inferred")]  # ``self.__class__(...)``
            found = self.member(o.path, o.sym, attr, depth, via=via, recv=recv, after=o.after)
            if self._language(o.path) != "python":
                return found
            if not found and container:
                held = self.member(o.path, o.sym, attr[:-2], depth, via=via, recv=recv, after=o.after)
                return self._elements(held, depth)
            # an instance's property is what its getter returns
            return [x for f in found for x in (self.call_result(f, depth) if _is_property(f) else [f])]
        return []

    def _elements(self, objs: list[Obj], depth: int) -> list[Obj]:
        """What subscripting or iterating instances of repository classes gives: their
        ``__getitem__``'s results, else (a class that only iterates) what ``__iter__`` returns
        or yields. An element binding does not say which of the two it was; subscripts are the
        common use of a class with both (a registry of connections iterates over its names)."""
        out: list[Obj] = []
        for o in objs:
            if o.kind != "inst" or o.sym is None:
                continue
            for dunder in ("__getitem__", "__iter__"):
                methods = [
                    m
                    for m in self.member(o.path, o.sym, dunder, depth, via="inferred", recv=o.recv)
                    if m.kind == "sym" and m.sym is not None and m.sym.kind in CALLABLE
                ]
                if methods:
                    out.extend(x for m in methods for x in self.call_result(m, depth))
                    break
        return _dedupe(out)

    def call_result(self, o: Obj, depth: int) -> list[Obj]:
        if o.kind == "builtin":
            return [o]  # what a builtin returns is the language's own: its members are builtins too
        if o.kind == "ext":
            if o.name in DYNAMIC_LOADERS:
                return [Obj("dynamic", name=o.name)]
            return [Obj("ext", name=o.name, module=o.module, via="external", recv=o.name)]
        if o.kind != "sym" or o.sym is None:
            if o.kind == "inst" and o.sym is not None:
                calls = self.member(o.path, o.sym, "__call__", depth, via="inferred", recv=None)
                return [x for c in calls for x in self.call_result(c, depth)]
            return []
        sym = o.sym
        if sym.kind in CALLABLE or sym.kind == "property":
            fi = self.lookup.index(o.path)
            b = fi.bindings.get((sym.id, "return")) if fi is not None else None
            out = [] if b is None else self._values(o.path, b.values, depth)
            if not out and fi is not None and fi.language == "python" and sym.kind != "property":
                # an abstract method or a NotImplementedError hook returns what its overrides do
                for p2, impl in self.implementations(o.path, sym, o.recv):
                    out.extend(self.call_result(Obj("sym", p2, impl), depth + 1))
                out = _dedupe(out)
            return out
        if sym.kind in TYPES:
            return [Obj("inst", o.path, sym, via="inferred", recv=global_symbol_id(o.path, sym.id))]
        return []

    # ---- the class hierarchy

    def member(
        self,
        path: str,
        cls: Symbol,
        attr: str,
        depth: int,
        *,
        via: str,
        recv: str | None,
        after: str | None = None,
    ) -> list[Obj]:
        """``attr`` of type ``cls`` through its method resolution order: a method or nested type,
        or the values of a member binding (``self.x = Foo()``, a declared field type)."""
        key = ("member", path, cls.id, attr, via, recv, after)
        return self._memoized(key, lambda: self._member(path, cls, attr, depth, via, recv, after), [])

    def _member(
        self, path: str, cls: Symbol, attr: str, depth: int, via: str, recv: str | None, after: str | None
    ) -> list[Obj]:
        order = self.mro(path, cls)
        if after is not None:
            ids = [global_symbol_id(p, c.id) for p, c in order]
            order = order[ids.index(after) + 1 :] if after in ids else []
        container = attr.endswith("[]")
        for i, (p, c) in enumerate(order):
            fi = self.lookup.index(p)
            if fi is None:
                continue
            b = fi.bindings.get((c.id, attr))
            found = None if container else self._member_of(p, c, attr)
            if found is not None and found[1].kind in MEMBERS:
                how = via if i == 0 or via in ("super", "type_qualified") else "inherited"
                return [Obj("sym", found[0], found[1], via=how, recv=recv)]
            if b is not None:
                return [replace(x, recv=x.recv) for x in self._values(p, b.values, depth)]
            if found is not None:
                return []  # a field or variable of unknown value
        external = self.external_ancestor(path, cls)
        if external is not None:  # not defined in the repository: inherited from external code
            kind, name = external
            dotted = f"{name}.{attr.removesuffix('[]')}"
            if kind == "builtin":
                return [Obj("builtin", name=dotted)]
            return [Obj("ext", name=dotted, module=name, via="external", recv=recv)]
        if via in ("self_method", "super") and not container and self._language(path) == "python":
            below = self._below(path, cls, attr, depth, after)
            if below:
                return below
            if attr in OBJECT_ATTRIBUTES and self._bases_known(path, cls):  # every class ends in ``object``
                return [Obj("builtin", name=f"object.{attr}")]
        return []

    def _bases_known(self, path: str, cls: Symbol) -> bool:
        """Whether every base in ``cls``'s hierarchy resolved: a base the repository cannot name
        (a parameter of a class factory, ``class M(superclass)``) may define any member."""
        for p, c in self.mro(path, cls):
            fi = self.lookup.index(p)
            for rel in fi.relations.get(c.id, []) if fi is not None else ():
                if rel.kind in BASE_KINDS and not self.resolve_base(p, c, rel.base):
                    return False
        return True

    def _below(self, path: str, cls: Symbol, attr: str, depth: int, after: str | None) -> list[Obj]:
        """``self.attr`` (or ``super().attr``) in a class whose own method resolution order does
        not have ``attr``: the instance is one of its subclasses (a mixin calls what the class it
        is mixed into provides, a template method the hooks its subclasses add), so ``attr`` is
        looked up in each repository subclass's order, from the start for ``self`` and after the
        class ``super()`` starts from. Subclasses whose order has no ``attr`` contribute nothing."""
        if self.children is None:
            return []
        self.lookup.reads.add(HIERARCHY)
        out: list[Obj] = []
        for below in self._subclasses(global_symbol_id(path, cls.id)):
            if len(out) >= MAX_OBJECTS:
                break
            for p, gid, sub in below:
                order = self.mro(p, sub)
                if after is not None:
                    ids = [global_symbol_id(q, c.id) for q, c in order]
                    order = order[ids.index(after) + 1 :] if after in ids else []
                for q, c in order:
                    qfi = self.lookup.index(q)
                    if qfi is None:
                        continue
                    found = self._member_of(q, c, attr)
                    if found is not None and found[1].kind in MEMBERS:
                        out.append(Obj("sym", found[0], found[1], via="dispatch", recv=gid))
                        break
                    b = qfi.bindings.get((c.id, attr))
                    if b is not None:
                        out.extend(self._values(q, b.values, depth))
                        break
                    if found is not None:
                        break
        return _dedupe(out)

    def _language(self, path: str) -> str | None:
        fi = self.lookup.index(path)
        return fi.language if fi is not None else None

    def _member_of(self, path: str, cls: Symbol, attr: str) -> tuple[str, Symbol] | None:
        """``cls.attr`` in the type's file, else in a file that implements something for it."""
        found = self.lookup.member(path, cls.qualified_name, attr)
        if found is None and self._impls_elsewhere(path):
            for other, _ in self.elsewhere.get(global_symbol_id(path, cls.id), ()):
                self.lookup.reads.add(other)
                found = self.lookup.member(other, cls.qualified_name, attr)
                if found is not None:
                    break
        return found

    def _impls_elsewhere(self, path: str) -> bool:
        """Whether a type of ``path`` can have members in files that neither it nor its callers
        import (Rust impl blocks): then what the call reaches depends on the repository's whole
        hierarchy, and the file that looked is resolved again when that changes."""
        fi = self.lookup.index(path)
        if fi is None or fi.language != "rust":
            return False
        self.lookup.reads.add(HIERARCHY)
        return True

    def external_ancestor(self, path: str, cls: Symbol) -> tuple[str, str] | None:
        """The first base in ``cls``'s hierarchy that is not in the repository: (``ext``, its
        dotted name) for external code, (``builtin``, its name) for a builtin type
        (``Exception``, ``dict``, ``type``)."""

        def compute() -> tuple[str, str] | None:
            for p, c in self.mro(path, cls):
                fi = self.lookup.index(p)
                if fi is None:
                    continue
                for rel in fi.relations.get(c.id, []):
                    if rel.kind not in BASE_KINDS:
                        continue
                    parts = _split_name(rel.base)
                    if not parts:
                        continue
                    ref = Ref(f"n:{parts[0]}", tuple(f".{x}" for x in parts[1:]))
                    for o in self.evaluate(p, ref):
                        if o.kind in ("ext", "builtin"):
                            return o.kind, o.name
            return None

        return self._memoized(("external", path, cls.id), compute, None)

    def mro(self, path: str, cls: Symbol) -> list[tuple[str, Symbol]]:
        """The type followed by its bases, in lookup order: Python's C3 linearization, a
        depth-first walk (own type, then bases in declaration order) elsewhere."""

        def compute() -> list[tuple[str, Symbol]]:
            fi = self.lookup.index(path)
            python = fi is not None and fi.language == "python"
            heads = self.bases(path, cls)
            lines = [self.mro(p, b) for p, b in heads]
            if python:
                merged = _c3([list(line) for line in lines] + [list(heads)])
                if merged is not None:
                    return [(path, cls), *merged]
            out: list[tuple[str, Symbol]] = [(path, cls)]
            seen = {(path, cls.id)}
            for line in lines:
                for p, c in line:
                    if (p, c.id) not in seen:
                        seen.add((p, c.id))
                        out.append((p, c))
            return out

        return self._memoized(("mro", path, cls.id), compute, [(path, cls)])

    def bases(self, path: str, cls: Symbol) -> list[tuple[str, Symbol]]:
        fi = self.lookup.index(path)
        if fi is None:
            return []
        out: list[tuple[str, Symbol]] = []
        rels = list(fi.relations.get(cls.id, []))
        if cls.kind in ("struct", "enum", "class") and fi.language == "rust":
            rels += fi.relations.get(cls.name, [])
        for rel in rels:
            if rel.kind not in BASE_KINDS:
                continue
            for p, sym in self.resolve_base(path, cls, rel.base):
                if (p, sym.id) != (path, cls.id) and (p, sym) not in out:
                    out.append((p, sym))
        for other, base in (
            self.elsewhere.get(global_symbol_id(path, cls.id), ()) if self._impls_elsewhere(path) else ()
        ):
            self.lookup.reads.add(other)
            base_path, _, local = base.partition("::")
            base_fi = self.lookup.index(base_path)
            found = base_fi.symbols.get(local) if base_fi is not None else None
            if found is not None and (base_path, found) not in out:
                out.append((base_path, found))
        return out

    def resolve_base(self, path: str, cls: Symbol | None, text: str) -> list[tuple[str, Symbol]]:
        """A base named in the body of ``cls``'s enclosing scopes first (``class Circle :
        public Shape`` inside ``namespace geo`` means ``geo::Shape``), then at top level."""
        fi = self.lookup.index(path)
        if cls is not None and fi is not None:
            dotted = ".".join(_split_name(text))
            prefix = cls.qualified_name.rpartition(".")[0]
            while prefix:
                sym = fi.by_qname.get(f"{prefix}.{dotted}")
                if sym is not None and sym.kind in TYPES - {"type_alias"} and sym.id != cls.id:
                    return [(path, sym)]
                prefix = prefix.rpartition(".")[0]
        return self.resolve_type(path, text)

    def resolve_type(self, path: str, text: str, depth: int = 0) -> list[tuple[str, Symbol]]:
        """A type named in ``path`` (``Base``, ``models.Model``, ``io::Write``) to its definitions."""
        parts = _split_name(text)
        if not parts:
            return []
        ref = Ref(f"n:{parts[0]}", tuple(f".{p}" for p in parts[1:]))
        out = []
        for o in self.evaluate(path, ref, depth):
            if o.kind == "sym" and o.sym is not None and o.sym.kind in TYPES - {"type_alias"}:
                out.append((o.path, o.sym))
        return out

    def external_base(self, path: str, text: str) -> str | None:
        parts = _split_name(text)
        if not parts:
            return None
        ref = Ref(f"n:{parts[0]}", tuple(f".{p}" for p in parts[1:]))
        for o in self.evaluate(path, ref):
            if o.kind == "ext":
                return callee_module(o.name + ".x")
        return None

    def implementations(self, path: str, method: Symbol, receiver: str | None = None) -> list[tuple[str, Symbol]]:
        """Every override of ``method`` below its type, for a call through an interface, a
        trait, an abstract method or a C++ virtual method (a dispatch)."""
        if self.children is None or method.parent is None:
            return []
        fi = self.lookup.index(path)
        owner = fi.symbols.get(method.parent) if fi is not None else None
        if owner is None:
            return []
        head = method.signature.split("(")[0].split()
        tail = method.signature.rpartition(")")[2].split()
        abstract = (
            any("abstract" in d for d in method.decorators)
            or "abstract" in head  # Java, TypeScript, C#
            or "virtual" in head  # C++: a virtual call reaches every override
            or "override" in tail
            or "final" in tail
            or method.signature.replace(" ", "").endswith(")=0")
            or (fi is not None and method.id in fi.overridable)  # Python: raise NotImplementedError
        )
        if owner.kind not in INTERFACE_LIKE and not abstract:
            return []
        self.lookup.reads.add(HIERARCHY)
        out: list[tuple[str, Symbol]] = []
        if owner.kind == "interface" and fi is not None and fi.language == "go":
            out += self._go_satisfying(fi, owner, method)
        # from the receiver's static type when it is below the method's type: a call on a
        # concrete type reaches the overrides below that type only
        start = receiver if receiver is not None and "::" in receiver else global_symbol_id(path, owner.id)
        for below in self._subclasses(start):
            for p, _, child in below:
                found = self._member_of(p, child, method.name)
                if found is not None and found[1].kind in CALLABLE and found[1] is not method:
                    out.append(found)
        return out

    def _subclasses(self, start: str) -> Iterator[list[tuple[str, str, Symbol]]]:
        """The types below the type ``start`` (a global id), each once, depth first: one list per
        type whose children are visited, of (file, global id, symbol) of those found."""
        assert self.children is not None
        seen = {start}
        todo = [start]
        while todo:
            found: list[tuple[str, str, Symbol]] = []
            for p, local in self.children.get(todo.pop(), []):
                gid = global_symbol_id(p, local)
                if gid in seen:
                    continue
                seen.add(gid)
                todo.append(gid)
                fi = self.lookup.index(p)
                sub = fi.symbols.get(local) if fi is not None else None
                if sub is not None:
                    found.append((p, gid, sub))
            yield found

    def _go_satisfying(self, fi: _FileIndex, iface: Symbol, method: Symbol) -> list[tuple[str, Symbol]]:
        """``method`` of every Go type whose method set holds all of ``iface``'s methods (its
        own; embedded interfaces' are not counted, so such an interface asks for less)."""
        self.lookup.reads.add(GO_METHODS)
        names = {s.name for s in fi.symbols.values() if s.parent == iface.id and s.kind == "method"}
        if not names:
            return []
        have: dict[tuple[str, str], set[str]] = {}
        where: dict[tuple[str, str], str] = {}
        for name in names:
            for path, owner in self.go_methods.get(name, ()):
                key = (path.rpartition("/")[0], owner)
                have.setdefault(key, set()).add(name)
                if name == method.name:
                    where[key] = path
        out = []
        for key, got in sorted(have.items()):
            if got >= names and key in where:
                found = self.lookup.member(where[key], key[1], method.name)
                if found is not None and found[1].kind in CALLABLE:
                    out.append(found)
        return out

    def constructor(self, path: str, cls: Symbol) -> tuple[str, Symbol] | None:
        fi = self.lookup.index(path)
        language = fi.language if fi is not None else None
        names = CONSTRUCTOR_NAMES.get(language or "", (cls.name,))
        for p, c in self.mro(path, cls):
            for n in names if language in CONSTRUCTOR_NAMES else (c.name,):
                found = self.lookup.member(p, c.qualified_name, n)
                if found is not None and found[1].kind in CALLABLE:
                    return found
            if language not in CONSTRUCTOR_NAMES:
                break  # Java/C++ constructors are not inherited
        return None


def _c3(seqs: list[list[tuple[str, Symbol]]]) -> list[tuple[str, Symbol]] | None:
    """C3 merge; None when the hierarchy admits no consistent order (Python raises TypeError)."""
    out: list[tuple[str, Symbol]] = []
    seqs = [s for s in seqs if s]
    key = lambda item: (item[0], item[1].id)  # noqa: E731
    while seqs:
        for seq in seqs:
            head = seq[0]
            if not any(key(head) in {key(x) for x in s[1:]} for s in seqs):
                break
        else:
            return None
        out.append(head)
        seqs = [[x for x in s if key(x) != key(head)] for s in seqs]
        seqs = [s for s in seqs if s]
    return out
