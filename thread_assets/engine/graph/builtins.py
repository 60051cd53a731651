"""The names each language provides without an import, for the ``builtin`` verdict.

Listed here rather than read from the running interpreter so that a verdict never depends on
which Python runs the graph step. A name defined or imported by the file shadows its builtin:
the lookup asks here last.
"""

from __future__ import annotations

_PYTHON = """
ArithmeticError AssertionError AttributeError BaseException BaseExceptionGroup BlockingIOError
BrokenPipeError BufferError BytesWarning ChildProcessError ConnectionAbortedError ConnectionError
ConnectionRefusedError ConnectionResetError DeprecationWarning EOFError Ellipsis EncodingWarning
EnvironmentError Exception ExceptionGroup FileExistsError FileNotFoundError FloatingPointError
FutureWarning GeneratorExit IOError ImportError ImportWarning IndentationError IndexError
InterruptedError IsADirectoryError KeyError KeyboardInterrupt LookupError MemoryError
ModuleNotFoundError NameError NotADirectoryError NotImplemented NotImplementedError OSError
OverflowError PendingDeprecationWarning PermissionError ProcessLookupError RecursionError
ReferenceError ResourceWarning RuntimeError RuntimeWarning StopAsyncIteration StopIteration
SyntaxError SyntaxWarning SystemError SystemExit TabError TimeoutError TypeError
UnboundLocalError UnicodeDecodeError UnicodeEncodeError UnicodeError UnicodeTranslateError
UnicodeWarning UserWarning ValueError Warning ZeroDivisionError __import__ abs aiter all anext
any ascii bin bool breakpoint bytearray bytes callable chr classmethod compile complex copyright
credits delattr dict dir divmod enumerate eval exec exit filter float format frozenset getattr
globals hasattr hash help hex id input int isinstance issubclass iter len license list locals map
max memoryview min next object oct open ord pow print property quit range repr reversed round set
setattr slice sorted staticmethod str sum super tuple type vars zip reveal_type
"""
_JAVASCRIPT = """
Array ArrayBuffer AbortController AggregateError Atomics BigInt BigInt64Array BigUint64Array Blob
Boolean DataView Date Error EvalError Event EventTarget FinalizationRegistry Float32Array
Float64Array FormData Function Headers Infinity Int16Array Int32Array Int8Array Intl JSON Map Math
NaN Number Object Promise Proxy RangeError ReferenceError Reflect RegExp Request Response Set
SharedArrayBuffer String Symbol SyntaxError TextDecoder TextEncoder TypeError URIError URL
URLSearchParams Uint16Array Uint32Array Uint8Array Uint8ClampedArray WeakMap WeakRef WeakSet
atob btoa clearInterval clearTimeout console decodeURI decodeURIComponent document encodeURI
encodeURIComponent escape eval fetch globalThis isFinite isNaN parseFloat parseInt process
queueMicrotask require setImmediate setInterval setTimeout structuredClone undefined unescape
window Buffer __dirname __filename module exports
"""
_GO = """
append cap clear close complex copy delete imag len make max min new panic print println real
recover bool byte complex128 complex64 error float32 float64 int int16 int32 int64 int8 rune
string uint uint16 uint32 uint64 uint8 uintptr any comparable
"""
_RUST = """
assert assert_eq assert_ne cfg column compile_error concat dbg debug_assert debug_assert_eq
debug_assert_ne env eprint eprintln file format format_args include include_bytes include_str
line matches module_path option_env panic print println stringify todo unimplemented unreachable
vec write writeln Some None Ok Err Box Vec String Option Result drop Default Clone Into From
"""
_JAVA = """
String Object Integer Long Double Float Boolean Character Byte Short Math System Thread Runnable
StringBuilder Exception RuntimeException IllegalArgumentException IllegalStateException
NullPointerException UnsupportedOperationException Iterable Comparable Enum Record Class Void
"""
_C = """
printf fprintf sprintf snprintf vprintf vfprintf vsnprintf puts fputs putchar getchar fgets
scanf sscanf fscanf malloc calloc realloc free memcpy memmove memset memcmp strlen strcpy strncpy
strcat strncat strcmp strncmp strchr strrchr strstr strdup strtol strtoul strtod atoi atol atof
abort exit atexit assert fopen fclose fread fwrite fflush fseek ftell rewind feof ferror perror
qsort bsearch abs labs rand srand time clock sizeof offsetof va_start va_end va_arg isalpha
isdigit isspace isalnum isupper islower toupper tolower errno getenv
"""
_CPP = (
    _C
    + """
static_cast dynamic_cast reinterpret_cast const_cast typeid decltype noexcept alignof
std move forward make_shared make_unique swap
"""
)

BUILTINS: dict[str, frozenset[str]] = {
    "python": frozenset(_PYTHON.split()),
    "javascript": frozenset(_JAVASCRIPT.split()),
    "typescript": frozenset(_JAVASCRIPT.split()),
    "tsx": frozenset(_JAVASCRIPT.split()),
    "go": frozenset(_GO.split()),
    "rust": frozenset(_RUST.split()),
    "java": frozenset(_JAVA.split()),
    "c": frozenset(_C.split()),
    "cpp": frozenset(_CPP.split()),
}


def is_builtin(language: str | None, name: str) -> bool:
    return name in BUILTINS.get(language or "", frozenset())
