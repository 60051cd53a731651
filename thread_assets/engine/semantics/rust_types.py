"""Rust's standard names as the semantic pass sees them: where prelude types live, which
wrappers a method call sees through, and which macros and functions the language provides.

A value is kept as a :class:`Val`: the Refs the graph step evaluates (``refs``) and, for the
standard containers and wrappers the file declares (``Option<Foo>``, ``Result<Foo, E>``,
``Vec<Foo>``, ``HashMap<K, Foo>``, ``Mutex<Foo>``), what unwrapping, iterating or indexing it gives
(``inner``). ``Box``, ``Rc``, ``Arc``, ``Pin``, ``Cow`` and references are seen through: a method
call on them reaches the pointee's methods, as auto-deref does.
"""

from __future__ import annotations

from ..model import Ref

Refs = tuple[Ref, ...]


class Val:
    __slots__ = ("closure", "inner", "refs")

    def __init__(self, refs: Refs = (), inner: Refs = (), closure: bool = False) -> None:
        self.refs = refs
        self.inner = inner
        self.closure = closure


NOTHING = Val()
CLOSURE = Val(closure=True)

PRELUDE_TYPES = {
    "Vec": "std::vec",
    "String": "std::string",
    "Box": "std::boxed",
    "Option": "std::option",
    "Result": "std::result",
}
"""Types every module sees without a ``use``: ``Vec::new()`` is external, from ``std::vec``."""

STD_TYPES = {
    "HashMap": "std::collections",
    "HashSet": "std::collections",
    "BTreeMap": "std::collections",
    "BTreeSet": "std::collections",
    "VecDeque": "std::collections",
    "BinaryHeap": "std::collections",
    "Rc": "std::rc",
    "Arc": "std::sync",
    "Mutex": "std::sync",
    "RwLock": "std::sync",
    "RefCell": "std::cell",
    "Cell": "std::cell",
}
"""Where the usual standard types come from, for a type written by a path the file does not show."""

TRANSPARENT = frozenset({"Box", "Rc", "Arc", "Pin", "Cow", "Weak", "ManuallyDrop"})
"""Smart pointers whose methods a call rarely means: ``rc.m()`` calls the pointee's ``m``."""
LOCKS = frozenset({"RefCell", "Cell", "Mutex", "RwLock", "OnceCell", "OnceLock"})
"""Interior mutability: ``borrow()``, ``lock().unwrap()`` give the value inside."""
OPTIONS = frozenset({"Option", "Result", "Poll"})
SEQUENCES = frozenset({"Vec", "VecDeque", "HashSet", "BTreeSet", "BinaryHeap", "LinkedList", "IntoIter", "Iter"})
MAPS = frozenset({"HashMap", "BTreeMap", "IndexMap"})

UNWRAP = frozenset(
    {
        "unwrap",
        "expect",
        "unwrap_or",
        "unwrap_or_default",
        "unwrap_or_else",
        "unwrap_unchecked",
        "borrow",
        "borrow_mut",
        "get_mut",
        "into_inner",
        "lock",
        "read",
        "write",
        "try_borrow",
        "try_borrow_mut",
        "try_lock",
    }
)
"""Methods of a wrapper that give what it wraps (``lock()`` gives a ``Result`` of a guard, which
``unwrap()`` again sees through)."""
KEEP = frozenset(
    {
        "as_ref",
        "as_mut",
        "as_deref",
        "as_deref_mut",
        "take",
        "clone",
        "cloned",
        "copied",
        "iter",
        "iter_mut",
        "into_iter",
        "drain",
        "values",
        "values_mut",
        "rev",
        "filter",
        "skip",
        "take_while",
        "skip_while",
        "peekable",
        "ok",
        "ok_or",
        "ok_or_else",
        "or",
        "or_else",
        "to_owned",
    }
)
"""Methods of a wrapper or container that give one of the same content."""
SELF_RESULT = frozenset({"clone", "to_owned", "borrow", "borrow_mut", "as_ref", "as_mut", "deref", "deref_mut"})
"""Methods of a repository type that, if it does not define them, give the same type (derived
``Clone``, blanket ``Borrow``/``AsRef``)."""

OPTION_METHODS = {
    **dict.fromkeys(
        [
            "unwrap",
            "expect",
            "unwrap_or",
            "unwrap_or_default",
            "unwrap_or_else",
            "map",
            "and_then",
            "or_else",
            "ok_or",
            "ok_or_else",
            "is_some",
            "is_none",
            "as_ref",
            "as_mut",
            "as_deref",
            "take",
            "filter",
            "flatten",
            "zip",
            "unwrap_unchecked",
        ],
        "Option",
    ),
    **dict.fromkeys(["map_err", "is_ok", "is_err", "ok", "err", "unwrap_err", "expect_err"], "Result"),
}
"""Methods of ``Option``/``Result``: on a function's result (bound by what the wrapper holds)
they are the standard library's when the held type has none of that name."""

MACROS = frozenset(
    [
        "assert",
        "assert_eq",
        "assert_ne",
        "cfg",
        "column",
        "compile_error",
        "concat",
        "dbg",
        "debug_assert",
        "debug_assert_eq",
        "debug_assert_ne",
        "env",
        "eprint",
        "eprintln",
        "file",
        "format",
        "format_args",
        "include",
        "include_bytes",
        "include_str",
        "line",
        "matches",
        "module_path",
        "option_env",
        "panic",
        "print",
        "println",
        "stringify",
        "todo",
        "unimplemented",
        "unreachable",
        "vec",
        "write",
        "writeln",
        "thread_local",
        "try",
        "concat_idents",
        "trace_macros",
        "log_syntax",
    ]
)
"""Macros of the standard library every crate sees."""

BUILTIN_FUNCTIONS = frozenset({"drop", "Some", "Ok", "Err", "None"})

PRIMITIVES = frozenset(
    [
        "i8",
        "i16",
        "i32",
        "i64",
        "i128",
        "isize",
        "u8",
        "u16",
        "u32",
        "u64",
        "u128",
        "usize",
        "f32",
        "f64",
        "bool",
        "char",
        "str",
    ]
)


def std_ref(name: str) -> Ref | None:
    module = PRELUDE_TYPES.get(name)
    return None if module is None else Ref(f"x:{module}", (f".{name}",))
