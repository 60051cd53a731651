"""Targeted checks of the C / C++ extractor: the rules a golden file shows only by example."""

from __future__ import annotations

import msgspec

from thread_assets.engine import analyze
from thread_assets.engine.model import FileAnalysis, Symbol


def run(code: str, language: str = "cpp") -> FileAnalysis:
    result = analyze(f"x.{'c' if language == 'c' else 'cpp'}", code.encode(), language)
    assert result.status == "ok", result.reason
    return result


def by_id(result: FileAnalysis) -> dict[str, Symbol]:
    return {s.id: s for s in result.symbols}


def test_overloads_and_same_named_methods_get_distinct_ids() -> None:
    result = run(
        """
        namespace n {
        int parse(const char *text);
        int parse(const char *text, int base);
        struct A { void run(); };
        struct B { void run(); };
        }
        """
    )
    ids = [s.id for s in result.symbols]
    assert len(ids) == len(set(ids))
    assert {"n.parse(const char *)", "n.parse(const char *,int)", "n.A.run", "n.B.run"} <= set(ids)


def test_prototype_merges_into_definition_in_same_file() -> None:
    result = run(
        """
        /** Adds. */
        static int add(int a, int b);

        static int add(int a, int b) { return a + b; }
        int external(void);
        """,
        "c",
    )
    adds = [s for s in result.symbols if s.name == "add"]
    assert len(adds) == 1
    add = adds[0]
    assert add.id == "add" and add.location.start_line == 5
    assert add.docstring == "Adds." and add.visibility == "private" and not add.exported
    ext = by_id(result)["external"]
    assert ext.signature.endswith(";") and ext.parameters == () and ext.return_type == "int"


def test_out_of_class_definition_replaces_in_class_declaration() -> None:
    result = run(
        """
        class Widget {
         public:
          /// Draws it.
          void draw(int depth) const;
         private:
          static int count();
        };
        void Widget::draw(int d) const { count(); }
        int Widget::count() { return 1; }
        """
    )
    symbols = by_id(result)
    draw = symbols["Widget.draw"]
    assert draw.parent == "Widget" and draw.kind == "method"
    assert draw.location.start_line == 9 and draw.docstring == "Draws it."
    assert draw.visibility == "public" and draw.exported
    count = symbols["Widget.count"]
    assert count.visibility == "private" and not count.exported
    assert [c.caller for c in result.calls] == ["Widget.draw"]


def test_member_visibility_follows_access_sections_and_defaults() -> None:
    result = run(
        """
        class C { int hidden; public: int shown; protected: int kids; };
        struct S { int open; private: int closed; };
        union U { int i; float f; };
        """
    )
    vis = {s.qualified_name: (s.visibility, s.exported) for s in result.symbols}
    assert vis["C.hidden"] == ("private", False)
    assert vis["C.shown"] == ("public", True)
    assert vis["C.kids"] == ("protected", False)
    assert vis["S.open"] == ("public", True)
    assert vis["S.closed"] == ("private", False)
    assert vis["U.f"] == ("public", True)


def test_static_and_anonymous_namespace_are_private() -> None:
    result = run(
        """
        static int counter;
        int shared;
        namespace { void helper() {} struct Local { int x; }; }
        namespace api { void entry() { helper(); } }
        """
    )
    s = by_id(result)
    assert (s["counter"].visibility, s["counter"].exported) == ("private", False)
    assert (s["shared"].visibility, s["shared"].exported) == ("public", True)
    assert (s["helper"].visibility, s["helper"].exported) == ("private", False)
    assert s["Local"].kind == "struct" and not s["Local"].exported
    assert s["api.entry"].exported and s["api"].kind == "namespace"


def test_c_kinds_constants_and_typedefs() -> None:
    result = run(
        """
        #define LIMIT 10
        #define SQR(x) ((x) * (x))
        const int kMax = 3;
        const char *name = "n";
        char *const fixed = 0;
        typedef struct { int a; } anon_t;
        typedef unsigned long ulong_t;
        enum { A, B };
        union value { int i; };
        char *dup(const char *s, ...);
        """,
        "c",
    )
    kinds = {s.qualified_name: s.kind for s in result.symbols}
    assert kinds["LIMIT"] == "macro" and kinds["SQR"] == "macro"
    assert kinds["kMax"] == "constant" and kinds["fixed"] == "constant"
    assert kinds["name"] == "variable"  # a mutable pointer to const chars
    assert kinds["anon_t"] == "struct" and kinds["anon_t.a"] == "field"
    assert kinds["ulong_t"] == "type_alias"
    assert kinds["A"] == "enum_member" and kinds["value"] == "union"
    dup = by_id(result)["dup"]
    assert dup.return_type == "char *"
    assert [(p.name, p.type, p.kind) for p in dup.parameters] == [
        ("s", "const char *", "positional"),
        ("...", None, "variadic"),
    ]
    sqr = by_id(result)["SQR"]
    assert sqr.signature == "#define SQR(x)" and [p.name for p in sqr.parameters] == ["x"]


def test_templates_attributes_defaults_and_docs() -> None:
    result = run(
        """
        /** A fixed array. */
        template <typename T, int N = 4>
        class Array {
         public:
          // Element access.
          [[nodiscard]] T &at(int i, bool checked = true);
          int size_ = N; ///< number of slots
        };
        """
    )
    s = by_id(result)
    assert s["Array"].generics == ("typename T", "int N = 4")
    assert s["Array"].docstring == "A fixed array." and s["Array"].location.start_line == 4
    at = s["Array.at"]
    assert at.decorators == ("nodiscard",) and at.return_type == "T &" and at.docstring == "Element access."
    assert [(p.name, p.type, p.default) for p in at.parameters] == [("i", "int", None), ("checked", "bool", "true")]
    assert s["Array.size_"].docstring == "number of slots"


def test_imports_kinds_and_unused_using() -> None:
    result = run(
        """
        #include "local/thing.h"
        #include <vector>
        #include SOME_HEADER
        using namespace std;
        using std::string;
        using std::map;
        namespace fs = std::filesystem;
        string name() { return fs::path("x").string(); }
        """
    )
    rows = [(i.module, i.name, i.bound, i.kind, i.used) for i in result.imports]
    assert rows == [
        ("local/thing.h", None, None, "relative", True),
        ("vector", None, None, "system", True),
        ("SOME_HEADER", None, None, "absolute", True),
        ("std", None, None, "wildcard", True),
        ("std", "string", "string", "absolute", True),
        ("std", "map", "map", "absolute", False),
        ("std::filesystem", None, "fs", "absolute", True),
    ]


def test_cpp20_module_imports() -> None:
    result = run('import std;\nimport <iostream>;\nimport "legacy.h";\n')
    assert [(i.module, i.kind) for i in result.imports] == [
        ("std", "absolute"),
        ("iostream", "system"),
        ("legacy.h", "relative"),
    ]


def test_call_types_receivers_and_callers() -> None:
    result = run(
        """
        #define CHECK(x) if (!(x)) abort()
        struct Box { Box(int); void open(); static Box make(); };
        void use(Box *p, Box b) {
          CHECK(p);
          p->open();
          b.open();
          Box::make();
          io::print(1, 2);
          new Box(3);
          Box(4);
          plain();
        }
        int g = plain();
        """
    )
    calls = [(c.callee, c.name, c.receiver, c.call_type, c.arg_count, c.caller) for c in result.calls]
    assert calls == [
        ("CHECK", "CHECK", None, "macro", 1, "use"),
        ("p->open", "open", "p", "method", 0, "use"),
        ("b.open", "open", "b", "method", 0, "use"),
        ("Box::make", "make", "Box", "method", 0, "use"),
        ("io::print", "print", "io", "direct", 2, "use"),
        ("Box", "Box", None, "constructor", 1, "use"),
        ("Box", "Box", None, "constructor", 1, "use"),
        ("plain", "plain", None, "direct", 0, "use"),
        ("plain", "plain", None, "direct", 0, None),
    ]


def test_local_types_belong_to_their_function_and_locals_are_not_emitted() -> None:
    result = run(
        """
        int run(void) {
          struct step { int n; };
          typedef int counter_t;
          int local = 0;
          return local;
        }
        """,
        "c",
    )
    s = by_id(result)
    assert s["run.step"].parent == "run" and s["run.step"].visibility == "private"
    assert s["run.step.n"].kind == "field" and s["run.counter_t"].kind == "type_alias"
    assert "local" not in {x.name for x in result.symbols}


def test_macro_generated_functions_get_distinct_ids() -> None:
    result = run("TEST_IMPL(first) { return 0; }\nTEST_IMPL(second) { return 1; }\n", "c")
    assert [s.id for s in result.symbols] == ["TEST_IMPL(first)", "TEST_IMPL(second)"]


def test_preprocessor_branches_are_all_extracted() -> None:
    result = run(
        """
        #ifdef _WIN32
        static int backend(void) { return 1; }
        #else
        static int backend(void) { return 2; }
        #endif
        #if FEATURE
        struct feature { int on; };
        #endif
        """,
        "c",
    )
    assert [s.id for s in result.symbols if s.name == "backend"] == ["backend()", "backend()~2"]
    assert "feature.on" in by_id(result)


def test_syntax_errors_and_deep_nesting_do_not_crash() -> None:
    broken = run("int f( {\n struct x { int a; \n class { ;; } } }}} int g(void) { return h(1); }\n")
    assert broken.status == "ok"
    deep = "int f() { return " + "(" * 3000 + "1" + ")" * 3000 + "; }\n" + "struct S {" * 500 + "}" * 500
    result = run(deep)
    assert "f" in by_id(result)
    assert run("", "c").symbols == ()
    assert run("void \u00e9t\u00e9(void) { caf\u00e9(); }\n", "c").calls[0].name == "caf\u00e9"


def test_output_is_deterministic() -> None:
    code = "namespace a { template <class T> struct V { T x; void f(); }; }\nvoid a::V<int>::f() {}\n"

    def records() -> bytes:
        result = run(code)
        return msgspec.json.encode((result.symbols, result.imports, result.calls))

    first = records()
    assert all(records() == first for _ in range(3))


def test_hidden_friends_are_functions_listed_under_their_class() -> None:
    result = run(
        """
        struct It {
          /// Adds an offset.
          friend It operator+(const It &a, int n) { return a; }
          friend class Other;
          friend bool check(const It &);
        };
        """
    )
    assert [(s.id, s.kind, s.parent) for s in result.symbols] == [
        ("It", "struct", None),
        ("It.operator +", "function", "It"),
    ]
    assert result.symbols[1].docstring == "Adds an offset."


def test_anonymous_struct_behind_a_pointer_typedef_keeps_its_members_under_the_alias() -> None:
    result = run("typedef struct { int fd; char *name; } *handle_t, **handle_list_t;\n", "c")
    assert [(s.id, s.kind, s.parent) for s in result.symbols] == [
        ("handle_t", "type_alias", None),
        ("handle_list_t", "type_alias", None),
        ("handle_t.fd", "field", "handle_t"),
        ("handle_t.name", "field", "handle_t"),
    ]
