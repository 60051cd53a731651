"""What JavaScript and TypeScript provide without an import: global objects and functions of the
language, of browsers and of Node, and TypeScript's predefined and library types.

A name here is a builtin only where the file does not bind it itself (a parameter ``console`` or
an imported ``Map`` is the file's own), so the pass asks these sets last.
"""

from __future__ import annotations

GLOBAL_VALUES = frozenset(
    {
        # ECMAScript
        "AggregateError",
        "Array",
        "ArrayBuffer",
        "Atomics",
        "BigInt",
        "BigInt64Array",
        "BigUint64Array",
        "Boolean",
        "DataView",
        "Date",
        "Error",
        "EvalError",
        "FinalizationRegistry",
        "Float32Array",
        "Float64Array",
        "Int16Array",
        "Int32Array",
        "Int8Array",
        "Intl",
        "Iterator",
        "JSON",
        "Map",
        "Math",
        "Number",
        "Object",
        "Promise",
        "Proxy",
        "RangeError",
        "ReferenceError",
        "Reflect",
        "RegExp",
        "Set",
        "SharedArrayBuffer",
        "String",
        "Symbol",
        "SyntaxError",
        "TypeError",
        "URIError",
        "Uint16Array",
        "Uint32Array",
        "Uint8Array",
        "Uint8ClampedArray",
        "WeakMap",
        "WeakRef",
        "WeakSet",
        "decodeURI",
        "decodeURIComponent",
        "encodeURI",
        "encodeURIComponent",
        "escape",
        "globalThis",
        "isFinite",
        "isNaN",
        "parseFloat",
        "parseInt",
        "unescape",
        # hosts: browsers and Node
        "AbortController",
        "AbortSignal",
        "Blob",
        "Buffer",
        "CustomEvent",
        "Event",
        "EventTarget",
        "File",
        "FileReader",
        "FormData",
        "Headers",
        "IntersectionObserver",
        "MessageChannel",
        "MutationObserver",
        "Request",
        "ResizeObserver",
        "Response",
        "TextDecoder",
        "TextEncoder",
        "URL",
        "URLSearchParams",
        "WebSocket",
        "Worker",
        "XMLHttpRequest",
        "alert",
        "atob",
        "btoa",
        "cancelAnimationFrame",
        "clearImmediate",
        "clearInterval",
        "clearTimeout",
        "confirm",
        "console",
        "crypto",
        "document",
        "fetch",
        "getComputedStyle",
        "global",
        "localStorage",
        "location",
        "navigator",
        "performance",
        "process",
        "queueMicrotask",
        "requestAnimationFrame",
        "require",
        "sessionStorage",
        "setImmediate",
        "setInterval",
        "setTimeout",
        "structuredClone",
        "window",
    }
)
"""Global values; calling them, or anything reached from them, runs no code of the repository."""

DYNAMIC_CALLEES = frozenset({"eval", "Function"})
"""Globals whose call runs code the file builds at run time."""

NO_VALUE = frozenset({"undefined", "NaN", "Infinity", "arguments"})

PREDEFINED_TYPES = {
    "string": "String",
    "number": "Number",
    "boolean": "Boolean",
    "bigint": "BigInt",
    "symbol": "Symbol",
}
"""TypeScript's predefined types that have methods, as their wrapper objects. ``any``,
``unknown``, ``never``, ``void``, ``object``, ``null`` and ``undefined`` type nothing callable."""

GLOBAL_TYPES = GLOBAL_VALUES | {
    "ArrayLike",
    "AsyncGenerator",
    "AsyncIterable",
    "AsyncIterableIterator",
    "AsyncIterator",
    "Awaited",
    "Exclude",
    "Extract",
    "Function",
    "Generator",
    "HTMLElement",
    "Iterable",
    "IterableIterator",
    "NodeJS",
    "NonNullable",
    "Omit",
    "Parameters",
    "Partial",
    "Pick",
    "PromiseLike",
    "PropertyKey",
    "Readonly",
    "ReadonlyArray",
    "ReadonlyMap",
    "ReadonlySet",
    "Record",
    "Required",
    "ReturnType",
    "TemplateStringsArray",
}
"""Global types of TypeScript's standard library and the DOM; a receiver of one of these types
calls library code."""

UNWRAPPED_TYPES = frozenset({"Promise", "PromiseLike", "Awaited", "Readonly", "NonNullable", "Required"})
"""Wrappers whose first type argument is what code reaches through them: a declared
``Promise<Foo>`` result is awaited into a ``Foo``; ``Readonly<Foo>`` has ``Foo``'s methods."""

_RESULTS = """
    keys values entries map filter slice concat splice reverse sort flat flatMap from of split fill
    join toString trim trimStart trimEnd toLowerCase toUpperCase replace replaceAll substring substr
    padStart padEnd charAt repeat stringify toFixed toISOString toJSON normalize match matchAll exec
    indexOf lastIndexOf findIndex charCodeAt codePointAt now floor ceil round max min abs random
    getTime includes has some every startsWith endsWith test isArray then catch finally resolve
    reject all allSettled race any bind set add toPrecision localeCompare getOwnPropertyNames
"""
BUILTIN_RESULTS = frozenset(_RESULTS.split())
"""Library methods whose result is a library value whatever the program stored (an array, a
string, a number, a boolean, a promise): a call on that result is builtin too."""

ELEMENT_GETTERS = frozenset({".pop", ".shift", ".at", ".find", ".findLast"})
"""Array methods that hand back one of the array's elements."""

ELEMENT_CALLBACKS = frozenset(
    {(f".{m}", ".(0)(0)") for m in ("forEach", "map", "filter", "find", "findLast", "some", "every", "flatMap")}
    | {(".reduce", ".(0)(1)"), (".sort", ".(0)(0)"), (".sort", ".(0)(1)")}
)
"""(array method, callback parameter) pairs that receive the array's elements."""
