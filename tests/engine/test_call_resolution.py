"""Call resolution rules on hand-built analyses (one small repository per test)."""

from __future__ import annotations

import pickle
from collections.abc import Iterable

from thread_assets.engine.graph import CallEdge, resolve_calls
from thread_assets.engine.model import (
    Call,
    CallType,
    FileAnalysis,
    Import,
    ImportKind,
    Location,
    Parameter,
    Symbol,
    SymbolKind,
)
from thread_assets.engine.resolve.base import Resolution

LOC = Location(start_line=1, start_col=0, end_line=1, end_col=1, start_byte=0, end_byte=1)


def sym(
    sid: str,
    kind: SymbolKind = "function",
    *,
    parent: str | None = None,
    qname: str | None = None,
    params: tuple[Parameter, ...] = (),
) -> Symbol:
    name = (qname or sid).split("(")[0].rsplit(".", 1)[-1]
    return Symbol(
        id=sid,
        name=name,
        qualified_name=qname or sid.split("(")[0],
        kind=kind,
        visibility="public",
        signature="",
        parameters=params,
        parent=parent,
        location=LOC,
    )


def imp(
    module: str,
    name: str | None = None,
    bound: str | None = None,
    alias: str | None = None,
    kind: ImportKind = "absolute",
) -> Import:
    if bound is None:
        bound = alias or name or module.split(".")[0]
    return Import(module=module, name=name, alias=alias, bound=bound, kind=kind, location=LOC)


def call(callee: str, caller: str | None = None, call_type: CallType = "direct") -> Call:
    for sep in ("::", "."):
        if sep in callee:
            receiver, _, name = callee.rpartition(sep)
            return Call(
                caller=caller,
                callee=callee,
                name=name,
                receiver=receiver,
                call_type="method",
                arg_count=0,
                location=LOC,
            )
    return Call(caller=caller, callee=callee, name=callee, call_type=call_type, arg_count=0, location=LOC)


def fa(
    path: str,
    language: str = "python",
    symbols: Iterable[Symbol] = (),
    imports: Iterable[Import] = (),
    calls: Iterable[Call] = (),
) -> FileAnalysis:
    return FileAnalysis(
        path=path,
        language=language,
        status="ok",
        level="full",
        symbols=tuple(symbols),
        imports=tuple(imports),
        calls=tuple(calls),
    )


def res(importer: str, index: int, target: str | None, external: str | None = None) -> Resolution:
    how = "test" if target else ("external" if external else "unresolved")
    return Resolution(importer=importer, index=index, module="m", name=None, target=target, external=external, how=how)


def pairs(edges: list[CallEdge]) -> list[tuple[str, str | None, str]]:
    return [(e.callee, e.target, e.how) for e in edges]


def test_same_file_functions_and_constructors() -> None:
    a = fa(
        "a.py",
        symbols=[
            sym("helper"),
            sym("Widget", "class"),
            sym("Widget.__init__", "method", parent="Widget"),
            sym("main"),
            sym("helper_var", "variable"),
        ],
        calls=[call("helper", "main"), call("Widget", "main"), call("print", "main"), call("main")],
    )
    edges = resolve_calls({"a.py": a}, [])
    assert pairs(edges) == [
        ("helper", "a.py::helper", "same_file"),
        ("Widget", "a.py::Widget", "constructor"),
        ("print", None, "unresolved"),
        ("main", "a.py::main", "same_file"),
    ]
    assert [e.caller for e in edges] == ["a.py::main"] * 3 + ["a.py::<module>"]


def test_nested_definitions_are_not_top_level() -> None:
    # Python scoping: a method name is not callable bare, nor is a nested class from another method.
    a = fa("a.py", symbols=[sym("C", "class"), sym("C.run", "method", parent="C"), sym("f")], calls=[call("run", "f")])
    assert pairs(resolve_calls([a], [])) == [("run", None, "unresolved")]


def test_function_preferred_over_rebinding_variable_of_same_name() -> None:
    a = fa("a.py", symbols=[sym("g", "variable"), sym("g~2", "function", qname="g")], calls=[call("g")])
    assert pairs(resolve_calls([a], [])) == [("g", "a.py::g~2", "same_file")]


def test_self_this_cls_receivers_hit_the_enclosing_class() -> None:
    symbols = [
        sym("Repo", "class"),
        sym("Repo.save", "method", parent="Repo"),
        sym("Repo.load", "method", parent="Repo"),
        sym("Repo.load.inner", "function", parent="Repo.load"),
        sym("Other", "class"),
        sym("Other.save", "method", parent="Other"),
        sym("Other.go", "method", parent="Other"),
    ]
    calls = [
        call("self.save", "Repo.load"),
        call("cls.save", "Repo.load"),
        call("self.save", "Repo.load.inner"),  # a closure still sees the method's class
        call("self.save", "Other.go"),  # same name, other class
        call("self.missing", "Repo.load"),  # e.g. inherited: not guessed
        call("self.db.save", "Repo.load"),  # attribute of self: type unknown
        call("this.save"),  # file level: no class
    ]
    edges = resolve_calls([fa("r.py", symbols=symbols, calls=calls)], [])
    assert pairs(edges) == [
        ("self.save", "r.py::Repo.save", "self_method"),
        ("cls.save", "r.py::Repo.save", "self_method"),
        ("self.save", "r.py::Repo.save", "self_method"),
        ("self.save", "r.py::Other.save", "self_method"),
        ("self.missing", None, "unresolved"),
        ("self.db.save", None, "unresolved"),
        ("this.save", None, "unresolved"),
    ]


def test_rust_impl_methods_match_on_qualified_name_prefix() -> None:
    # Two impl blocks for Point; methods carry the type in their qualified names, parents are impls.
    symbols = [
        sym("Point", "struct"),
        sym("impl Point", "impl", qname="impl Point"),
        sym("Point.new", "function", parent="impl Point", qname="Point.new"),
        sym("Point.norm", "method", parent="impl Point", qname="Point.norm"),
        sym("impl Display for Point", "impl", qname="impl Display for Point"),
        sym("Point.<Display>.fmt", "method", parent="impl Display for Point"),
        sym("Point.<Clone>.clone", "method", parent="impl Display for Point"),
        sym("impl Point~2", "impl", qname="impl Point"),
        sym("Point.clone", "method", parent="impl Point~2", qname="Point.clone"),  # inherent, later
    ]
    calls = [
        call("self.norm", "Point.<Display>.fmt"),
        call("Self::new", "Point.<Display>.fmt"),
        call("Point::new", "Point.<Display>.fmt"),
        call("Point::<T>::new", "Point.<Display>.fmt"),
        call("self.fmt", "Point.norm"),  # a trait method seen from an inherent impl
        call("self.clone", "Point.norm"),  # the inherent method wins over the trait's
    ]
    edges = resolve_calls([fa("src/p.rs", "rust", symbols, calls=calls)], [])
    assert pairs(edges) == [
        ("self.norm", "src/p.rs::Point.norm", "self_method"),
        ("Self::new", "src/p.rs::Point.new", "self_method"),
        ("Point::new", "src/p.rs::Point.new", "type_qualified"),
        ("Point::<T>::new", "src/p.rs::Point.new", "type_qualified"),
        ("self.fmt", "src/p.rs::Point.<Display>.fmt", "self_method"),
        ("self.clone", "src/p.rs::Point.clone", "self_method"),
    ]


def test_go_receiver_name_is_a_self_receiver() -> None:
    recv = (Parameter(name="s", type="*Server", kind="receiver"),)
    symbols = [
        sym("Server", "struct"),
        sym("Server.Start", "method", qname="Server.Start", params=recv),
        sym("Server.listen", "method", qname="Server.listen", params=recv),
        sym("helper"),
    ]
    calls = [call("s.listen", "Server.Start"), call("t.listen", "Server.Start"), call("helper", "Server.Start")]
    edges = resolve_calls([fa("srv.go", "go", symbols, calls=calls)], [])
    assert pairs(edges) == [
        ("s.listen", "srv.go::Server.listen", "self_method"),
        ("t.listen", None, "unresolved"),
        ("helper", "srv.go::helper", "same_file"),
    ]


def test_java_cpp_implicit_this_beats_a_global_of_the_same_name() -> None:
    symbols = [
        sym("run"),
        sym("Job", "class"),
        sym("Job.run", "method", parent="Job"),
        sym("Job.start", "method", parent="Job"),
    ]
    calls = [call("run", "Job.start")]
    assert pairs(resolve_calls([fa("j.cpp", "cpp", symbols, calls=calls)], [])) == [
        ("run", "j.cpp::Job.run", "self_method")
    ]
    # Python has no implicit self: the bare name is the module-level function.
    assert pairs(resolve_calls([fa("j.py", "python", symbols, calls=calls)], [])) == [("run", "j.py::run", "same_file")]


def test_cpp_out_of_line_method_finds_its_class_members() -> None:
    symbols = [sym("Job", "class"), sym("Job.step", "method", parent="Job"), sym("Job.run", "method", qname="Job.run")]
    edges = resolve_calls([fa("job.cpp", "cpp", symbols, calls=[call("step", "Job.run")])], [])
    assert pairs(edges) == [("step", "job.cpp::Job.step", "self_method")]


def test_bare_imported_names_resolve_into_the_target_file() -> None:
    main = fa(
        "app/main.py",
        imports=[
            imp(".util", "slugify", kind="relative"),
            imp("models", "User"),
            imp("json", "dumps"),
            imp("./cfg", None, bound="load_cfg"),
            imp(".util", "gone", kind="relative"),
        ],
        calls=[call("slugify"), call("User"), call("dumps"), call("load_cfg"), call("gone")],
    )
    util = fa("app/util.py", symbols=[sym("slugify")])
    models = fa("models.py", symbols=[sym("User", "class")])
    rs = [
        res("app/main.py", 0, "app/util.py"),
        res("app/main.py", 1, "models.py"),
        res("app/main.py", 2, None, external="json"),
        res("app/main.py", 3, "cfg.js"),
        res("app/main.py", 4, "app/util.py"),
    ]
    edges = resolve_calls([main, util, models], rs)
    assert pairs(edges) == [
        ("slugify", "app/util.py::slugify", "import"),
        ("User", "models.py::User", "constructor"),
        ("dumps", None, "unresolved"),
        ("load_cfg", "cfg.js::<module>", "import"),
        ("gone", None, "unresolved"),
    ]


def test_one_level_of_reexport_is_followed_but_not_two() -> None:
    main = fa("main.py", imports=[imp("pkg", "f"), imp("pkg", "g")], calls=[call("f"), call("g")])
    init = fa("pkg/__init__.py", imports=[imp(".impl", "f", kind="relative"), imp(".mid", "g", kind="relative")])
    impl = fa("pkg/impl.py", symbols=[sym("f")])
    mid = fa("pkg/mid.py", imports=[imp(".impl2", "g", kind="relative")])
    impl2 = fa("pkg/impl2.py", symbols=[sym("g")])
    rs = [
        res("main.py", 0, "pkg/__init__.py"),
        res("main.py", 1, "pkg/__init__.py"),
        res("pkg/__init__.py", 0, "pkg/impl.py"),
        res("pkg/__init__.py", 1, "pkg/mid.py"),
        res("pkg/mid.py", 0, "pkg/impl2.py"),
    ]
    assert pairs(resolve_calls([main, init, impl, mid, impl2], rs)) == [
        ("f", "pkg/impl.py::f", "import"),
        ("g", None, "unresolved"),
    ]


def test_module_qualified_calls() -> None:
    main = fa(
        "main.py",
        imports=[imp("utils"), imp("a.b.c"), imp("a.b.c", alias="abc", bound="abc"), imp("os.path"), imp("pkg", "sub")],
        calls=[
            call("utils.helper"),
            call("a.b.c.run"),
            call("abc.run"),
            call("os.path.join"),
            call("a.run"),
            call("utils.nope"),
            call("sub.work"),
            call("utils.Thing"),
        ],
    )
    utils = fa("utils.py", symbols=[sym("helper"), sym("Thing", "class")])
    abc = fa("a/b/c.py", symbols=[sym("run")])
    sub = fa("pkg/sub.py", symbols=[sym("work")])
    rs = [
        res("main.py", 0, "utils.py"),
        res("main.py", 1, "a/b/c.py"),
        res("main.py", 2, "a/b/c.py"),
        res("main.py", 3, None, external="os"),
        res("main.py", 4, "pkg/sub.py"),
    ]
    assert pairs(resolve_calls([main, utils, abc, sub], rs)) == [
        ("utils.helper", "utils.py::helper", "module_qualified"),
        ("a.b.c.run", "a/b/c.py::run", "module_qualified"),
        ("abc.run", "a/b/c.py::run", "module_qualified"),
        ("os.path.join", None, "unresolved"),
        ("a.run", None, "unresolved"),  # `import a.b.c` binds `a`, but a/__init__ was not resolved
        ("utils.nope", None, "unresolved"),
        ("sub.work", "pkg/sub.py::work", "module_qualified"),  # `from pkg import sub`, sub a module
        ("utils.Thing", "utils.py::Thing", "constructor"),
    ]


def test_go_package_directory_target_and_rust_module_path() -> None:
    main = fa(
        "cmd/main.go",
        "go",
        imports=[imp("example.com/x/strs", bound="strs")],
        calls=[call("strs.Reverse"), call("strs.Missing")],
    )
    s1 = fa("strs/a.go", "go", symbols=[sym("Upper")])
    s2 = fa("strs/b.go", "go", symbols=[sym("Reverse")])
    lib = fa("src/lib.rs", "rust", imports=[imp("crate::util", bound="util")], calls=[call("util::parse")])
    util = fa("src/util.rs", "rust", symbols=[sym("parse")])
    rs = [res("cmd/main.go", 0, "strs"), res("src/lib.rs", 0, "src/util.rs")]
    assert pairs(resolve_calls([main, s1, s2, lib, util], rs)) == [
        ("strs.Reverse", "strs/b.go::Reverse", "module_qualified"),
        ("strs.Missing", None, "unresolved"),
        ("util::parse", "src/util.rs::parse", "module_qualified"),
    ]


def test_type_qualified_calls_local_and_imported() -> None:
    main = fa(
        "Main.java",
        "java",
        symbols=[
            sym("Main", "class"),
            sym("Main.run", "method", parent="Main"),
            sym("Main.Inner", "class", parent="Main"),
            sym("Main.Inner.make", "method", parent="Main.Inner"),
        ],
        imports=[imp("com.x.Util", bound="Util"), imp("models", "Model"), imp("models", "helper_obj")],
        calls=[
            call("Util.parse", "Main.run"),
            call("Main.Inner.make", "Main.run"),
            call("Model.create", "Main.run"),
            call("helper_obj.go", "Main.run"),
            call("Util.gone", "Main.run"),
        ],
    )
    util = fa("com/x/Util.java", "java", symbols=[sym("Util", "class"), sym("Util.parse", "method", parent="Util")])
    models = fa(
        "models.py",
        symbols=[
            sym("Model", "class"),
            sym("Model.create", "method", parent="Model"),
            sym("helper_obj", "variable"),
            sym("go"),
        ],
    )
    rs = [res("Main.java", 0, "com/x/Util.java"), res("Main.java", 1, "models.py"), res("Main.java", 2, "models.py")]
    assert pairs(resolve_calls([main, util, models], rs)) == [
        ("Util.parse", "com/x/Util.java::Util.parse", "type_qualified"),
        ("Main.Inner.make", "Main.java::Main.Inner.make", "type_qualified"),
        ("Model.create", "models.py::Model.create", "type_qualified"),
        ("helper_obj.go", None, "unresolved"),  # method on an imported object: type unknown
        ("Util.gone", None, "unresolved"),
    ]


def test_local_definition_shadows_import_and_no_repo_wide_guessing() -> None:
    a = fa("a.py", symbols=[sym("f")], imports=[imp("b", "f")], calls=[call("f"), call("g"), call("obj.f")])
    b = fa("b.py", symbols=[sym("f"), sym("g")])
    edges = resolve_calls({"a.py": a, "b.py": b}, [res("a.py", 0, "b.py")])
    assert pairs(edges) == [("f", "a.py::f", "same_file"), ("g", None, "unresolved"), ("obj.f", None, "unresolved")]


def test_output_is_ordered_complete_and_picklable() -> None:
    files = [fa(f"m{i}.py", symbols=[sym("f")], calls=[call("f"), call("x.y")]) for i in (3, 1, 2)]
    edges = resolve_calls(files, [])
    assert [e.path for e in edges] == ["m1.py", "m1.py", "m2.py", "m2.py", "m3.py", "m3.py"]
    assert resolve_calls(reversed(files), []) == edges
    assert pickle.loads(pickle.dumps(edges)) == edges
    assert all(e.location == LOC for e in edges)


def test_wildcard_imports_are_followed_one_level() -> None:
    # forms/__init__.py: `from .widgets import *`; views.py: `from forms import *` and `import forms`;
    # far.py: `from views import *` is one hop too many.
    init = fa("forms/__init__.py", imports=[Import(module=".widgets", kind="wildcard", location=LOC)])
    widgets = fa("forms/widgets.py", symbols=[sym("Input", "class"), sym("_private")])
    views = fa(
        "views.py",
        imports=[Import(module="forms", kind="wildcard", location=LOC), imp("forms")],
        calls=[call("forms.Input"), call("Input"), call("_private"), call("forms._private")],
    )
    far = fa("far.py", imports=[Import(module="views", kind="wildcard", location=LOC)], calls=[call("Input")])
    rs = [
        res("far.py", 0, "views.py"),
        res("forms/__init__.py", 0, "forms/widgets.py"),
        res("views.py", 0, "forms/__init__.py"),
        res("views.py", 1, "forms/__init__.py"),
    ]
    assert pairs(resolve_calls([init, widgets, views, far], rs)) == [
        ("Input", None, "unresolved"),
        ("forms.Input", "forms/widgets.py::Input", "constructor"),
        ("Input", "forms/widgets.py::Input", "constructor"),  # own wildcard, then one re-export
        ("_private", None, "unresolved"),
        ("forms._private", None, "unresolved"),
    ]
    direct = fa(
        "direct.py",
        imports=[Import(module="forms.widgets", kind="wildcard", location=LOC)],
        calls=[call("Input"), call("_private")],
    )
    assert pairs(resolve_calls([widgets, direct], [res("direct.py", 0, "forms/widgets.py")])) == [
        ("Input", "forms/widgets.py::Input", "constructor"),
        ("_private", None, "unresolved"),
    ]


def test_class_reached_through_an_imported_module() -> None:
    urls = fa(
        "urls.py",
        imports=[imp("admindocs", "views")],
        calls=[call("views.Index.as_view"), call("views.helper.x"), call("nope.Index.as_view")],
    )
    views = fa(
        "admindocs/views.py",
        symbols=[sym("Index", "class"), sym("Index.as_view", "method", parent="Index"), sym("helper")],
    )
    rs = [res("urls.py", 0, "admindocs/views.py")]
    assert pairs(resolve_calls([urls, views], rs)) == [
        ("views.Index.as_view", "admindocs/views.py::Index.as_view", "type_qualified"),
        ("views.helper.x", None, "unresolved"),
        ("nope.Index.as_view", None, "unresolved"),
    ]


PACKAGE = {
    "pkg/__init__.py": "from .core import Engine\nfrom .util import *\n",
    "pkg/core.py": """\
import json
from . import util
from .util import slugify
import pkg.helpers as helpers
from pkg import models


class Engine:
    def __init__(self, name):
        self.name = slugify(name)

    def run(self):
        self.step()
        json.dumps(self.name)
        return util.count(self.name)

    def step(self):
        return helpers.assist()


def build():
    return Engine("x")
""",
    "pkg/util.py": """\
from .core import build


def slugify(s):
    return s.lower()


def count(s):
    return len(s)


def rebuild():
    return build()
""",
    "pkg/helpers.py": "import pkg.helpers\n\n\ndef assist():\n    return pkg.helpers.__name__\n",
    "pkg/models.py": 'from pkg import Engine, count\n\n\ndef make():\n    count("m")\n    return Engine("m")\n',
}


def test_end_to_end_on_a_small_python_package(tmp_path) -> None:
    from thread_assets.engine import analyze
    from thread_assets.engine.graph import ImportGraph, dependency_edges, find_cycles
    from thread_assets.engine.resolve import RepoContext, resolve_imports

    data = {path: text.encode() for path, text in PACKAGE.items()}
    for path, raw in data.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(raw)
    analyses = {p: analyze(p, (tmp_path / p).read_bytes()) for p in sorted(data)}
    resolutions = resolve_imports(analyses.values(), RepoContext(files=frozenset(data), read=data.get))

    edges = dependency_edges(resolutions, analyses)
    graph = ImportGraph(edges)
    assert graph.dependencies("pkg/core.py") == ("pkg/helpers.py", "pkg/models.py", "pkg/util.py")
    assert graph.external_dependencies("pkg/core.py") == ("json",)
    assert graph.dependents("pkg/__init__.py") == ("pkg/models.py",)
    cycles = find_cycles(edges)
    # core <-> util directly; core -> models -> __init__ -> core; helpers imports itself.
    assert [(c.kind, c.members) for c in cycles] == [
        ("scc", ("pkg/__init__.py", "pkg/core.py", "pkg/models.py", "pkg/util.py")),
        ("self_import", ("pkg/helpers.py",)),
    ]
    assert cycles[0].path == ("pkg/__init__.py", "pkg/core.py", "pkg/models.py", "pkg/__init__.py")

    got = {(e.caller, e.callee): (e.target, e.how) for e in resolve_calls(analyses, resolutions)}
    assert got == {
        ("pkg/core.py::Engine.__init__", "slugify"): ("pkg/util.py::slugify", "import"),
        ("pkg/core.py::Engine.run", "self.step"): ("pkg/core.py::Engine.step", "self_method"),
        ("pkg/core.py::Engine.run", "json.dumps"): (None, "unresolved"),
        ("pkg/core.py::Engine.run", "util.count"): ("pkg/util.py::count", "module_qualified"),
        ("pkg/core.py::Engine.step", "helpers.assist"): ("pkg/helpers.py::assist", "module_qualified"),
        # a class that defines __init__: the call runs it
        ("pkg/core.py::build", "Engine"): ("pkg/core.py::Engine.__init__", "constructor"),
        ("pkg/util.py::count", "len"): (None, "unresolved"),
        ("pkg/util.py::slugify", "s.lower"): (None, "unresolved"),
        ("pkg/util.py::rebuild", "build"): ("pkg/core.py::build", "import"),
        # through pkg/__init__.py: `from .core import Engine` and `from .util import *`
        ("pkg/models.py::make", "Engine"): ("pkg/core.py::Engine.__init__", "constructor"),
        ("pkg/models.py::make", "count"): ("pkg/util.py::count", "import"),
    }


def test_namespaces_scope_bare_names_and_qualify_calls() -> None:
    symbols = [
        sym("util", "namespace"),
        sym("util.trim", parent="util"),
        sym("util.detail", "namespace", parent="util"),
        sym("util.detail.run", parent="util.detail"),
        sym("trim"),
    ]
    calls = [call("trim", "util.detail.run"), call("util::trim", "trim"), call("util::detail::run"), call("run")]
    assert pairs(resolve_calls([fa("u.cpp", "cpp", symbols, calls=calls)], [])) == [
        ("trim", "u.cpp::util.trim", "same_file"),  # the enclosing namespace's trim, not the global one
        ("util::trim", "u.cpp::util.trim", "type_qualified"),
        ("util::detail::run", "u.cpp::util.detail.run", "type_qualified"),
        ("run", None, "unresolved"),
    ]


def test_go_packages_span_files() -> None:
    recv = (Parameter(name="s", type="*Server", kind="receiver"),)
    server = fa(
        "srv/server.go",
        "go",
        symbols=[sym("Server", "struct"), sym("Server.Start", "method", parent="Server", params=recv)],
        calls=[
            call("s.listen", "Server.Start"),
            call("newConn", "Server.Start"),
            call("testHelper", "Server.Start"),
            call("Start", "Server.Start"),
            call("len", "Server.Start"),
        ],
    )
    # Methods of Server in another file have no parent there: they must not become bare names.
    conn = fa("srv/conn.go", "go", symbols=[sym("Server.listen", "method", params=recv), sym("newConn")])
    test = fa(
        "srv/server_test.go",
        "go",
        symbols=[sym("testHelper"), sym("TestStart")],
        calls=[call("newConn", "TestStart"), call("testHelper", "TestStart")],
    )
    other = fa("other/x.go", "go", symbols=[sym("newConn")])
    main = fa(
        "cmd/main.go",
        "go",
        imports=[imp("example.com/m/srv", bound="srv")],
        calls=[call("srv.newConn"), call("srv.testHelper"), call("srv.Server")],
    )
    rs = [res("cmd/main.go", 0, "srv/server.go")]  # the Go resolver's representative file
    assert pairs(resolve_calls([server, conn, test, other, main], rs)) == [
        ("srv.newConn", "srv/conn.go::newConn", "module_qualified"),
        ("srv.testHelper", None, "unresolved"),  # test files are not part of an importable package
        ("srv.Server", "srv/server.go::Server", "constructor"),
        ("s.listen", "srv/conn.go::Server.listen", "self_method"),
        ("newConn", "srv/conn.go::newConn", "same_package"),
        ("testHelper", None, "unresolved"),
        ("Start", None, "unresolved"),
        ("len", None, "unresolved"),
        ("newConn", "srv/conn.go::newConn", "same_package"),
        ("testHelper", "srv/server_test.go::testHelper", "same_file"),
    ]


def test_rust_use_of_an_item_inside_an_inline_module() -> None:
    # src/private/de.rs: `mod content { pub struct ContentDeserializer; impl ... { fn new() } }`
    de = fa(
        "src/private/de.rs",
        "rust",
        symbols=[
            sym("content", "module"),
            sym("content.ContentDeserializer", "struct", parent="content"),
            sym("content.ContentDeserializer.new", "function", parent="content"),
        ],
    )
    user = fa(
        "src/private/ser.rs",
        "rust",
        imports=[imp("self::content", "ContentDeserializer"), imp("self::content", "Missing")],
        calls=[call("ContentDeserializer::new"), call("ContentDeserializer"), call("Missing::new")],
    )
    rs = [res("src/private/ser.rs", 0, "src/private/de.rs"), res("src/private/ser.rs", 1, "src/private/de.rs")]
    assert pairs(resolve_calls([de, user], rs)) == [
        ("ContentDeserializer::new", "src/private/de.rs::content.ContentDeserializer.new", "type_qualified"),
        ("ContentDeserializer", "src/private/de.rs::content.ContentDeserializer", "constructor"),
        ("Missing::new", None, "unresolved"),
    ]
