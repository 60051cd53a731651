"""Language detection: names, extensions, shebangs, modelines and the ambiguity rules."""

from __future__ import annotations

import time

import pytest

from thread_assets.engine.detect import detect_language
from thread_assets.engine.languages import LANGUAGES


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("src/app.py", "python"),
        ("a/b/Dockerfile", "dockerfile"),
        ("Dockerfile.prod", "dockerfile"),
        ("build.Dockerfile", "dockerfile"),
        ("Containerfile", "dockerfile"),
        ("Makefile", "make"),
        ("GNUmakefile", "make"),
        ("Makefile.am", "make"),
        ("rules.mk", "make"),
        ("CMakeLists.txt", "cmake"),
        ("toolchain.cmake", "cmake"),
        ("meson.build", "meson"),
        ("BUILD", "starlark"),
        ("BUILD.bazel", "starlark"),
        ("WORKSPACE", "starlark"),
        ("defs.bzl", "starlark"),
        ("go.mod", "gomod"),
        ("go.sum", "gosum"),
        (".gitignore", "gitignore"),
        (".dockerignore", "gitignore"),
        (".gitattributes", "gitattributes"),
        ("requirements.txt", "requirements"),
        ("requirements-dev.txt", "requirements"),
        ("Cargo.lock", "toml"),
        ("Pipfile", "toml"),
        ("Gemfile", "ruby"),
        ("Rakefile", "ruby"),
        ("analysis.R", "r"),
        ("analysis.r", "r"),
        ("MAIN.C", "c"),
        ("Main.JAVA", "java"),
        ("schema.sql", "sql"),
        ("main.tf", "terraform"),
        ("x.proto", "proto"),
        ("Kconfig", "kconfig"),
        ("Kconfig.debug", "kconfig"),
        ("notes.txt", None),
        ("README", None),
        ("archive.tar.gz", None),
        ("", None),
    ],
)
def test_by_name(path: str, expected: str | None) -> None:
    assert detect_language(path) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"#!/usr/bin/env python3\n", "python"),
        (b"#!/usr/bin/python3.11\n", "python"),
        (b"#!/bin/bash\nset -e\n", "bash"),
        (b"#!/bin/sh\n", "bash"),
        (b"#! /usr/bin/env zsh\n", "bash"),
        (b"#!/usr/bin/env -S node --no-warnings\n", "javascript"),
        (b"#!/usr/bin/env -i PATH=/bin ruby -w\n", "ruby"),
        (b"#!/usr/bin/env -u HOME perl\n", "perl"),
        (b"#!/usr/local/bin/ruby2.7\n", "ruby"),
        (b"#!/usr/bin/env Rscript\n", "r"),
        (b"#!/usr/bin/env\n", None),
        (b"#!/usr/bin/env unknown-thing\n", None),
        (b"#!\n", None),
    ],
)
def test_shebang(head: bytes, expected: str | None) -> None:
    assert detect_language("bin/tool", head) == expected


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"# -*- mode: ruby -*-\nputs 1\n", "ruby"),
        (b"# -*- ruby -*-\n", "ruby"),
        (b"#!/bin/sh\n# -*- coding: utf-8; mode: python -*-\n", "python"),
        (b";; -*- mode: emacs-lisp; lexical-binding: t -*-\n", "elisp"),
        (b"// -*- C++ -*-\n", "cpp"),
        (b"# vim: set ft=python:\n", "python"),
        (b"line\n" * 20 + b"# vim: set filetype=sh :\n", "bash"),
        (b"/* vi: syntax=c */\n", "c"),
        (b"# ex: ft=yaml\n", "yaml"),
        (b"# -*- coding: utf-8 -*-\n", None),
        (b"line\n" * 8 + b"# vim: ft=python\n" + b"line\n" * 8, None),
    ],
)
def test_modeline(head: bytes, expected: str | None) -> None:
    assert detect_language("noext", head) == expected


def test_precedence_modeline_then_shebang_then_name() -> None:
    assert detect_language("script.py", b"#!/bin/bash\n") == "bash"
    assert detect_language("script.py", b"#!/bin/bash\n# vim: ft=ruby\n") == "ruby"
    assert detect_language("Makefile", b"#!/usr/bin/env python3\n") == "python"
    assert detect_language("x.h", b"// -*- c -*-\nclass A {};\n") == "c"


@pytest.mark.parametrize(
    ("path", "head", "expected"),
    [
        ("a.h", b"#include <stdio.h>\nint f(void);\n", "c"),
        ("a.h", b"", "c"),
        ("a.h", b"#pragma once\nnamespace n {}\n", "cpp"),
        ("a.h", b"template <typename T> T f(T);\n", "cpp"),
        ("a.h", b"#include <vector>\n", "cpp"),
        ("a.h", b"struct A {\npublic:\n  int x;\n};\n", "cpp"),
        ("a.h", b"int x = std::max(1, 2);\n", "cpp"),
        ("a.m", b"#import <Foundation/Foundation.h>\n", "objc"),
        ("a.m", b"@interface Foo : NSObject\n@end\n", "objc"),
        ("a.m", b"function y = f(x)\n% comment\ny = x;\nend\n", "matlab"),
        ("a.m", b"", "matlab"),
        ("a.ts", b"export const x = 1;\n", "typescript"),
        ("a.tsx", b"export const X = () => <div/>;\n", "tsx"),
        ("app_de.ts", b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n', "xml"),
        ("app_de.ts", b'<TS version="2.1" language="de">\n', "xml"),
        ("a.v", b"module main\n\nfn main() {}\n", "v"),
        ("a.v", b"fn main() {\n}\n", "v"),
        ("a.v", b"module counter(input clk);\nendmodule\n", "verilog"),
        ("a.cls", b"\\NeedsTeXFormat{LaTeX2e}\n\\ProvidesClass{mine}\n", "latex"),
        ("a.cls", b"public class Foo { }\n", "apex"),
        ("a.inc", b"<?php\necho 1;\n", "php"),
        ("a.inc", b"; nasm include\n", None),
        ("a.pl", b"use strict;\n", "perl"),
    ],
)
def test_content_rules(path: str, head: bytes, expected: str | None) -> None:
    assert detect_language(path, head) == expected


def test_every_detected_language_is_in_the_table() -> None:
    for info in LANGUAGES.values():
        for ext in info.extensions:
            found = detect_language("file" + ext)
            assert found is None or found in LANGUAGES, ext
        for name in info.filenames:
            assert detect_language(name) == info.name, name


def test_only_the_head_is_scanned() -> None:
    """A multi-megabyte head costs the same as 1 KiB: detection never scans past it."""
    big = b"int x;\n" * 400_000 + b"class A {};\n"
    assert detect_language("a.h", big) == "c"
    start = time.perf_counter()
    for _ in range(200):
        detect_language("a.h", big)
    assert time.perf_counter() - start < 0.5


def test_vim_modeline_at_the_end_of_a_long_head() -> None:
    body = b"x = 1\n" * 5000
    assert detect_language("noext", body + b"# vim: set ft=python:\n") == "python"
    assert detect_language("noext", body + b"# vim: set ft=python:\n" + b"x\n" * 10) is None


def test_language_by_name_agrees_with_detect_language_on_a_real_tree() -> None:
    """The cached name-only path (the sensor's indexability test) answers as detect_language
    does without content, on every base name of this repository and its environment, plus edge
    cases of extension splitting."""
    from pathlib import Path

    from thread_assets.engine.detect import language_by_name

    here = Path(__file__).resolve().parents[2]
    names = {p.name for p in here.rglob("*") if p.is_file()}
    names |= {".bashrc", "..x", "a.", ".hidden.py", "x.R", "x.r", "X.PY", "Makefile.in", "requirements-dev.txt"}
    names |= {"Kconfig.debug", "foo.h", "foo.m", "foo.pl", "foo.v", "foo.ts", "noext", "a.b.c.rs"}
    assert len(names) > 500
    differ = {n: (language_by_name(n), detect_language(n)) for n in names if language_by_name(n) != detect_language(n)}
    assert differ == {}
