"""The language table: every grammar tree-sitter-language-pack 0.13.0 bundles, how a file is
recognised as that language, and how deep extraction goes for it.

This is the one place that lists languages (like universal-ctags' parser table). Detection
(`detect.py`), the extractor registry (`extract/__init__.py`), `thread languages` and
docs/languages.md (rendered by :func:`render_markdown`, checked by a test) all read it.

Levels: ``full`` languages have a dedicated extractor; ``generic`` ones get names of
definition-like nodes from ``extract/generic.py``; ``parse`` ones are data, markup or embedded
mini-languages where "symbols" would be invented, so only the parse summary is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import ExtractionLevel


@dataclass(frozen=True)
class LanguageInfo:
    name: str
    """The grammar name in tree-sitter-language-pack (``get_parser(name)``)."""
    display: str
    level: ExtractionLevel
    extensions: tuple[str, ...] = ()
    """Lower-case, with the dot: ``(".py", ".pyi")``. Case-sensitive exceptions live in detect.py."""
    filenames: tuple[str, ...] = ()
    """Exact base names: ``("Makefile", "GNUmakefile")``."""
    interpreters: tuple[str, ...] = ()
    """Shebang interpreters: ``("python", "python3")``."""
    extracts: str = ""
    """Human summary of what is extracted, for the table."""
    note: str = ""
    """Caveats worth a line in the docs (a grammar that hangs, an embedded-only grammar)."""
    may_hang: bool = False
    """The grammar can loop forever on input it does not expect: parse such files only where a
    hang is bounded (a batch worker under a time limit), never in-process."""
    misreads: str = ""
    """Why this ``full`` language's grammar parses valid files with syntax errors (empty: it
    does not; see :attr:`misread_reason`)."""

    @property
    def trusts_syntax_errors(self) -> bool:
        """Syntax errors mean a broken file: the ``parse_quality`` check counts them."""
        return not self.misread_reason

    @property
    def misread_reason(self) -> str:
        """Why syntax errors in this language do not make the ``parse_quality`` check fail: only
        the dedicated-extractor (``full``) grammars are trusted to read every valid file, and
        not even all of those (:data:`PREPROCESSED`). Empty for a trusted grammar."""
        if self.misreads:
            return self.misreads
        if self.level != "full":
            return f"the {self.name} grammar ({self.level} tier) is known to misread valid files"
        return ""


FULL_EXTRACTS = "symbols (kinds, visibility, signatures, params, generics, docs), imports (+unused), calls"
PARSE_EXTRACTS = "parse summary only (no definitions in this format)"
EMBEDDED_NOTE = "only used embedded in other files (no file of its own)"
PREPROCESSED = "parsed without a preprocessor: macros and #if branches make valid code read as syntax errors"


def _lang(
    name: str,
    display: str,
    level: ExtractionLevel,
    exts: str = "",
    files: str = "",
    interp: str = "",
    extracts: str = "",
    note: str = "",
    may_hang: bool = False,
    misreads: str = "",
) -> LanguageInfo:
    """Space-separated strings keep the 173-row table readable, one language per line."""
    if not extracts:
        extracts = {"full": FULL_EXTRACTS, "parse": PARSE_EXTRACTS}.get(level, "symbols")
    return LanguageInfo(
        name,
        display,
        level,
        tuple(exts.split()),
        tuple(files.split()),
        tuple(interp.split()),
        extracts,
        note,
        may_hang,
        misreads,
    )


_F: ExtractionLevel = "full"
_G: ExtractionLevel = "generic"
_P: ExtractionLevel = "parse"

_TABLE: tuple[LanguageInfo, ...] = (
    _lang("actionscript", "ActionScript", _G, ".as", extracts="classes, interfaces, functions, variables"),
    _lang("ada", "Ada", _G, ".adb .ads .ada", extracts="packages, subprograms, types"),
    _lang("agda", "Agda", _G, ".agda", extracts="modules, functions, records"),
    _lang("apex", "Apex", _G, ".cls .trigger .apex", extracts="classes, interfaces, enums, methods, fields"),
    _lang("arduino", "Arduino", _G, ".ino .pde", extracts="functions, structs, classes, macros"),
    _lang("asm", "Assembly", _G, ".asm .s .nasm", extracts="labels"),
    _lang("astro", "Astro", _P, ".astro", note="frontmatter script is not extracted"),
    _lang(
        "bash",
        "Bash",
        _G,
        ".sh .bash .bats .zsh .ksh",
        ".bashrc .bash_profile .bash_logout .profile .zshrc .zprofile .kshrc PKGBUILD APKBUILD",
        "sh bash zsh ksh dash ash",
        "functions",
    ),
    _lang("beancount", "Beancount", _P, ".beancount .bean"),
    _lang("bibtex", "BibTeX", _G, ".bib", extracts="entry keys"),
    _lang("bicep", "Bicep", _G, ".bicep", extracts="params, vars, resources, modules, outputs, functions, types"),
    _lang("bitbake", "BitBake", _G, ".bb .bbappend .bbclass", extracts="functions, tasks"),
    _lang("bsl", "1C:Enterprise (BSL)", _G, ".bsl .os", extracts="procedures, functions"),
    _lang("c", "C", _F, ".c .h", misreads=f"the c grammar is {PREPROCESSED}"),
    _lang("cairo", "Cairo", _G, ".cairo", extracts="functions, structs, enums, traits, impls, modules"),
    _lang("capnp", "Cap'n Proto", _G, ".capnp", extracts="structs, enums, interfaces, methods"),
    _lang("chatito", "Chatito", _G, ".chatito", extracts="intents, slots, aliases"),
    _lang("clarity", "Clarity", _G, ".clar", extracts="functions, constants, maps, variables, tokens"),
    _lang(
        "clojure", "Clojure", _G, ".clj .cljs .cljc .edn", interp="bb clojure", extracts="def/defn/defmacro/ns forms"
    ),
    _lang("cmake", "CMake", _G, ".cmake", "CMakeLists.txt", extracts="functions, macros"),
    _lang(
        "cobol",
        "COBOL",
        _P,
        ".cob .cbl .cpy",
        note="the grammar never returns on many non-COBOL inputs (e.g. `x = 1`): parse only under a time limit",
        may_hang=True,
    ),
    _lang("comment", "Comment tags", _P, note=EMBEDDED_NOTE),
    _lang(
        "commonlisp",
        "Common Lisp",
        _G,
        ".lisp .lsp .cl .asd",
        interp="sbcl clisp",
        extracts="defun/defmacro/defclass forms",
    ),
    _lang("cpon", "CPON", _P, ".cpon"),
    _lang(
        "cpp",
        "C++",
        _F,
        ".cc .cpp .cxx .c++ .hpp .hh .hxx .h++ .ipp .tpp .inl",
        misreads=f"the cpp grammar is {PREPROCESSED}",
    ),
    _lang(
        "csharp",
        "C#",
        _G,
        ".cs .csx",
        extracts="namespaces, classes, structs, interfaces, enums, records, methods, properties",
    ),
    _lang("css", "CSS", _P, ".css"),
    _lang("csv", "CSV", _P, ".csv"),
    _lang("cuda", "CUDA", _G, ".cu .cuh", extracts="functions, structs, classes, namespaces, macros"),
    _lang("d", "D", _G, ".d .di", extracts="modules, classes, structs, interfaces, enums, functions"),
    _lang("dart", "Dart", _G, ".dart", extracts="classes, mixins, extensions, enums, functions, methods"),
    _lang(
        "dockerfile",
        "Dockerfile",
        _G,
        ".dockerfile",
        "Dockerfile Containerfile",
        extracts="build stages (FROM ... AS name)",
    ),
    _lang("doxygen", "Doxygen", _P, note=EMBEDDED_NOTE),
    _lang("dtd", "DTD", _G, ".dtd", extracts="elements, entities"),
    _lang("elisp", "Emacs Lisp", _G, ".el", ".emacs", extracts="functions, macros"),
    _lang("elixir", "Elixir", _G, ".ex .exs", "mix.lock", "elixir", "defmodule/def/defp/defmacro"),
    _lang("elm", "Elm", _G, ".elm", extracts="functions, types, type aliases, ports"),
    _lang("embeddedtemplate", "Embedded template (ERB/EJS)", _P, ".erb .ejs"),
    _lang("erlang", "Erlang", _G, ".erl .hrl", "rebar.config", "escript", "modules, functions, records, types, macros"),
    _lang("fennel", "Fennel", _G, ".fnl", interp="fennel", extracts="fn/macro/local definitions"),
    _lang("firrtl", "FIRRTL", _G, ".fir", extracts="circuits, modules"),
    _lang("fish", "fish", _G, ".fish", interp="fish", extracts="functions"),
    _lang(
        "fortran",
        "Fortran",
        _G,
        ".f .for .f77 .f90 .f95 .f03 .f08",
        extracts="programs, modules, functions, subroutines, types",
    ),
    _lang("fsharp", "F#", _G, ".fs .fsx", extracts="modules, namespaces, types, functions"),
    _lang("fsharp_signature", "F# signature", _G, ".fsi", extracts="modules, namespaces, types, values"),
    _lang("func", "FunC", _G, ".fc .func", extracts="functions"),
    _lang("gdscript", "GDScript", _G, ".gd", extracts="classes, functions, signals, constants, variables"),
    _lang("gitattributes", "gitattributes", _P, files=".gitattributes"),
    _lang("gitcommit", "Git commit message", _P, files="COMMIT_EDITMSG MERGE_MSG TAG_EDITMSG"),
    _lang(
        "gitignore",
        "gitignore",
        _P,
        files=".gitignore .dockerignore .npmignore .eslintignore .prettierignore .hgignore",
    ),
    _lang("gleam", "Gleam", _G, ".gleam", extracts="functions, types, constants"),
    _lang("glsl", "GLSL", _G, ".glsl .vert .frag .geom .comp .tesc .tese .vs", extracts="functions, structs"),
    _lang("gn", "GN", _G, ".gn .gni", extracts="templates, targets"),
    _lang("go", "Go", _F, ".go"),
    _lang("gomod", "Go module file", _P, files="go.mod go.work"),
    _lang("gosum", "Go checksum file", _P, files="go.sum go.work.sum"),
    _lang(
        "graphql",
        "GraphQL",
        _G,
        ".graphql .gql .graphqls",
        extracts="types, interfaces, enums, inputs, operations, fragments",
    ),
    _lang(
        "groovy",
        "Groovy",
        _P,
        ".groovy .gvy .gradle",
        "Jenkinsfile",
        "groovy",
        note="the bundled grammar does not model declarations",
    ),
    _lang("gstlaunch", "GStreamer launch", _P, note=EMBEDDED_NOTE),
    _lang("hack", "Hack", _G, ".hack .hhi", extracts="classes, interfaces, traits, functions, methods"),
    _lang("hare", "Hare", _G, ".ha", extracts="functions, types, constants"),
    _lang(
        "haskell",
        "Haskell",
        _G,
        ".hs .hs-boot",
        interp="runhaskell runghc",
        extracts="functions, data types, newtypes, classes, type synonyms",
    ),
    _lang("haxe", "Haxe", _G, ".hx", extracts="classes, interfaces, typedefs, enums, functions"),
    _lang("hcl", "HCL", _G, ".hcl .nomad", extracts="blocks (type and labels)"),
    _lang("heex", "HEEx", _P, ".heex .leex"),
    _lang("hlsl", "HLSL", _G, ".hlsl .hlsli .fx .fxh", extracts="functions, structs"),
    _lang("html", "HTML", _P, ".html .htm .xhtml .shtml"),
    _lang("hyprlang", "Hyprlang", _P, files="hyprland.conf hyprpaper.conf hypridle.conf hyprlock.conf"),
    _lang(
        "ini",
        "INI",
        _G,
        ".ini .cfg .desktop .service",
        ".editorconfig .gitconfig setup.cfg tox.ini",
        extracts="sections",
    ),
    _lang("ispc", "ISPC", _G, ".ispc .isph", extracts="functions, structs"),
    _lang("janet", "Janet", _G, ".janet", interp="janet", extracts="def/defn/defmacro forms"),
    _lang("java", "Java", _F, ".java"),
    _lang("javascript", "JavaScript", _F, ".js .mjs .cjs .jsx", interp="node nodejs bun"),
    _lang("jsdoc", "JSDoc", _P, note=EMBEDDED_NOTE),
    _lang(
        "json",
        "JSON",
        _P,
        ".json .jsonc .json5 .geojson .webmanifest .har",
        ".babelrc .eslintrc .prettierrc composer.lock .jshintrc Pipfile.lock flake.lock",
    ),
    _lang("jsonnet", "Jsonnet", _G, ".jsonnet .libsonnet", extracts="local bindings, functions"),
    _lang("julia", "Julia", _G, ".jl", interp="julia", extracts="modules, structs, functions, macros, abstract types"),
    _lang("kconfig", "Kconfig", _G, files="Kconfig Kconfig.debug Config.in", extracts="config symbols, menus"),
    _lang("kdl", "KDL", _P, ".kdl"),
    _lang(
        "kotlin",
        "Kotlin",
        _G,
        ".kt .kts",
        interp="kotlin",
        extracts="classes, objects, interfaces, functions, properties",
    ),
    _lang("latex", "LaTeX", _G, ".tex .sty .ltx .dtx", extracts="sections, commands, environments, labels"),
    _lang("linkerscript", "Linker script", _G, ".ld .lds", extracts="sections, symbols"),
    _lang("llvm", "LLVM IR", _G, ".ll", extracts="functions, globals"),
    _lang("lua", "Lua", _G, ".lua .rockspec", ".luacheckrc", "lua luajit", "functions, methods"),
    _lang("luadoc", "LuaDoc", _P, note=EMBEDDED_NOTE),
    _lang("luap", "Lua patterns", _P, note=EMBEDDED_NOTE),
    _lang("luau", "Luau", _G, ".luau", extracts="functions, type aliases"),
    _lang("magik", "Magik", _G, ".magik", extracts="methods, procedures"),
    _lang(
        "make",
        "Make",
        _G,
        ".mk .mak .make",
        "Makefile GNUmakefile makefile BSDmakefile",
        "make",
        "rule targets, define blocks",
    ),
    _lang("markdown", "Markdown", _G, ".md .markdown .mdown .mkd .mdx", extracts="headings (as sections)"),
    _lang("markdown_inline", "Markdown (inline)", _P, note=EMBEDDED_NOTE),
    _lang("matlab", "MATLAB", _G, ".m", extracts="functions, classes"),
    _lang("mermaid", "Mermaid", _P, ".mermaid .mmd"),
    _lang("meson", "Meson", _P, files="meson.build meson_options.txt meson.options"),
    _lang("netlinx", "NetLinx", _G, ".axs .axi", extracts="functions, defines"),
    _lang("nim", "Nim", _G, ".nim .nims .nimble", extracts="procs, funcs, methods, templates, macros, types"),
    _lang("ninja", "Ninja", _G, ".ninja", extracts="rules, build targets"),
    _lang("nix", "Nix", _G, ".nix", extracts="top-level attribute bindings"),
    _lang("nqc", "NQC", _G, ".nqc", extracts="tasks, subroutines, functions"),
    _lang("objc", "Objective-C", _G, ".mm", extracts="interfaces, implementations, protocols, methods, functions"),
    _lang("ocaml", "OCaml", _G, ".ml .mll .mly", interp="ocaml", extracts="let bindings, types, modules, classes"),
    _lang("ocaml_interface", "OCaml interface", _G, ".mli", extracts="values, types, modules"),
    _lang("odin", "Odin", _G, ".odin", extracts="procedures, structs, enums, constants"),
    _lang("org", "Org", _G, ".org", extracts="headlines (as sections)"),
    _lang("pascal", "Pascal", _G, ".pas .dpr .lpr .dfm", extracts="procedures, functions, types"),
    _lang("pem", "PEM", _P, ".pem .crt .cer .csr"),
    _lang("perl", "Perl", _G, ".pl .pm .t .psgi", interp="perl perl5", extracts="packages, subs"),
    _lang("pgn", "PGN (chess)", _P, ".pgn"),
    _lang(
        "php",
        "PHP",
        _G,
        ".php .phtml .php3 .php4 .php5 .phps .inc",
        interp="php",
        extracts="namespaces, classes, interfaces, traits, enums, functions, methods, constants",
    ),
    _lang("po", "gettext PO", _P, ".po .pot"),
    _lang("pony", "Pony", _G, ".pony", extracts="classes, actors, traits, interfaces, primitives, methods"),
    _lang(
        "powershell",
        "PowerShell",
        _G,
        ".ps1 .psm1 .psd1",
        interp="pwsh powershell",
        extracts="functions, classes, enums, methods",
    ),
    _lang("printf", "printf format", _P, note=EMBEDDED_NOTE),
    _lang("prisma", "Prisma", _G, ".prisma", extracts="models, enums, datasources, generators"),
    _lang("properties", "Java properties", _P, ".properties"),
    _lang("proto", "Protocol Buffers", _G, ".proto", extracts="messages, enums, services, rpcs"),
    _lang("psv", "PSV", _P, ".psv"),
    _lang("puppet", "Puppet", _G, ".pp", extracts="classes, defined types, functions, nodes"),
    _lang("purescript", "PureScript", _G, ".purs", extracts="functions, data types, classes"),
    _lang("pymanifest", "Python MANIFEST.in", _P, files="MANIFEST.in"),
    _lang("python", "Python", _F, ".py .pyi .pyw", "SConstruct SConscript", "python python3 python2 pypy pypy3"),
    _lang("qmldir", "qmldir", _P, files="qmldir"),
    _lang("qmljs", "QML", _G, ".qml", extracts="components, functions, properties, signals"),
    _lang(
        "query", "Tree-sitter query", _P, note="`.scm` belongs to Scheme; detect by path only via an explicit language"
    ),
    _lang("r", "R", _G, ".r", ".Rprofile", "Rscript", "functions assigned with <-, =, ->"),
    _lang("racket", "Racket", _G, ".rkt .rktl", interp="racket", extracts="define forms"),
    _lang("re2c", "re2c", _P, ".re"),
    _lang("readline", "Readline init", _P, files=".inputrc inputrc"),
    _lang("rego", "Rego", _G, ".rego", extracts="packages, rules"),
    _lang("requirements", "pip requirements", _P, files="requirements.txt constraints.txt"),
    _lang("ron", "RON", _P, ".ron"),
    _lang("rst", "reStructuredText", _G, ".rst .rest", extracts="section titles"),
    _lang(
        "ruby",
        "Ruby",
        _G,
        ".rb .rake .gemspec .ru .rbw .thor",
        "Rakefile Gemfile Guardfile Vagrantfile Brewfile Podfile Fastfile",
        "ruby jruby",
        "modules, classes, methods, singleton methods",
    ),
    _lang("rust", "Rust", _F, ".rs"),
    _lang(
        "scala",
        "Scala",
        _G,
        ".scala .sc .sbt",
        interp="scala",
        extracts="packages, classes, objects, traits, enums, defs, vals",
    ),
    _lang("scheme", "Scheme", _G, ".scm .ss .sld .sls", interp="guile scheme csi chez", extracts="define forms"),
    _lang("scss", "SCSS", _G, ".scss", extracts="mixins, functions"),
    _lang("smali", "Smali", _G, ".smali", extracts="classes, methods, fields"),
    _lang("smithy", "Smithy", _G, ".smithy", extracts="shapes, services, operations"),
    _lang(
        "solidity",
        "Solidity",
        _G,
        ".sol",
        extracts="contracts, interfaces, libraries, functions, events, structs, enums",
    ),
    _lang("sparql", "SPARQL", _P, ".rq .sparql"),
    _lang("sql", "SQL", _G, ".sql .ddl", extracts="CREATE TABLE/VIEW/FUNCTION/INDEX/TYPE names"),
    _lang("squirrel", "Squirrel", _G, ".nut", extracts="classes, functions, enums"),
    _lang(
        "starlark",
        "Starlark",
        _G,
        ".bzl .star .bazel .sky",
        "BUILD BUILD.bazel WORKSPACE WORKSPACE.bazel MODULE.bazel Tiltfile",
        extracts="functions (def)",
    ),
    _lang("svelte", "Svelte", _P, ".svelte", note="script blocks are not extracted"),
    _lang(
        "swift",
        "Swift",
        _G,
        ".swift",
        interp="swift",
        extracts="classes, structs, protocols, enums, extensions, functions, properties",
    ),
    _lang("tablegen", "TableGen", _G, ".td", extracts="classes, defs, multiclasses"),
    _lang("tcl", "Tcl", _G, ".tcl .tm .tk", interp="tclsh wish", extracts="procs, namespaces"),
    _lang("terraform", "Terraform", _G, ".tf .tfvars", extracts="blocks (resource, module, variable, output ...)"),
    _lang("test", "Tree-sitter test corpus", _P, note="corpus files are plain .txt: never detected by name"),
    _lang(
        "thrift",
        "Thrift",
        _G,
        ".thrift",
        extracts="structs, unions, exceptions, enums, services, functions, typedefs, consts",
    ),
    _lang("toml", "TOML", _P, ".toml", "Cargo.lock Pipfile poetry.lock uv.lock Gopkg.lock"),
    _lang("tsv", "TSV", _P, ".tsv .tab"),
    _lang("tsx", "TSX", _F, ".tsx"),
    _lang("twig", "Twig", _P, ".twig"),
    _lang("typescript", "TypeScript", _F, ".ts .mts .cts", interp="ts-node deno tsx"),
    _lang("typst", "Typst", _G, ".typ", extracts="headings, let bindings"),
    _lang("udev", "udev rules", _P, ".rules"),
    _lang("ungrammar", "Ungrammar", _G, ".ungram", extracts="nodes"),
    _lang("uxntal", "Uxntal", _G, ".tal", extracts="labels, macros"),
    _lang("v", "V", _G, ".vv .vsh", extracts="functions, structs, enums, interfaces, constants"),
    _lang(
        "verilog",
        "Verilog / SystemVerilog",
        _G,
        ".v .vh .sv .svh",
        extracts="modules, interfaces, packages, classes, functions, tasks",
    ),
    _lang("vhdl", "VHDL", _G, ".vhd .vhdl", extracts="entities, architectures, packages, functions, procedures, types"),
    _lang("vim", "Vim script", _G, ".vim .vimrc", ".vimrc _vimrc .gvimrc .exrc", extracts="functions"),
    _lang("vue", "Vue", _P, ".vue", note="script blocks are not extracted"),
    _lang("wast", "WebAssembly script", _G, ".wast", extracts="modules, functions"),
    _lang("wat", "WebAssembly text", _G, ".wat", extracts="functions, globals, types"),
    _lang("wgsl", "WGSL", _G, ".wgsl", extracts="functions, structs"),
    _lang("xcompose", "XCompose", _P, files=".XCompose XCompose"),
    _lang(
        "xml",
        "XML",
        _P,
        ".xml .xsd .xsl .xslt .svg .plist .csproj .vbproj .fsproj .props .targets .resx .xaml .pom .wsdl .rss .atom"
        " .kml .gpx",
    ),
    _lang("yaml", "YAML", _P, ".yaml .yml", ".clang-format .clang-tidy"),
    _lang("yuck", "Yuck", _G, ".yuck", extracts="windows, widgets, variables"),
    _lang("zig", "Zig", _G, ".zig .zon", extracts="functions, structs, enums, unions, constants"),
)

LANGUAGES: dict[str, LanguageInfo] = {info.name: info for info in _TABLE}


def language_rows() -> list[tuple[str, str, str, str, str]]:
    """Rows for ``thread languages``: (name, display, level, recognised by, extracts)."""
    rows: list[tuple[str, str, str, str, str]] = []
    for info in sorted(LANGUAGES.values(), key=lambda i: i.name):
        recognised = " ".join((*info.extensions, *info.filenames)) or "-"
        extracts = info.extracts + (f" ({info.note})" if info.note else "")
        rows.append((info.name, info.display, info.level, recognised, extracts))
    return rows


def render_markdown() -> str:
    """The text of docs/languages.md; a test compares the committed file with this."""
    counts = {level: sum(1 for i in LANGUAGES.values() if i.level == level) for level in ("full", "generic", "parse")}
    lines = [
        "# Supported languages",
        "",
        "<!-- Generated by thread_assets.engine.languages.render_markdown(); do not edit by hand. -->",
        "",
        f"{len(LANGUAGES)} grammars (tree-sitter-language-pack 0.13.0): {counts['full']} with a full extractor, "
        f"{counts['generic']} with generic symbol extraction, {counts['parse']} parsed only.",
        "",
        "- **full**: symbols with kinds, visibility, signatures, parameters, generics and docs; imports "
        "(with unused detection); calls.",
        "- **generic**: names, kinds, locations and nesting of definition-like nodes; no imports or calls.",
        "- **parse**: the parse summary (size, nodes, syntax-error ratio) only.",
        "",
        "Detection order: editor modeline, shebang, exact file name, extension content rules, extension "
        "(see `thread_assets/engine/detect.py`).",
        "",
        "| Language | Name | Level | Recognised by | Extracts |",
        "|---|---|---|---|---|",
    ]
    for name, display, level, recognised, extracts in language_rows():
        cells = (display, f"`{name}`", level, recognised, extracts)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
