# ruff: noqa: E501  (snippets and expected symbol lists read best one per line)
"""Generic extraction: expected (qualified name, kind) pairs for a spread of languages, and a
parse + extract smoke test over every bundled grammar (except COBOL, whose grammar can hang and
is only ever parsed under the batch pool's time limit)."""

from __future__ import annotations

import typing

import pytest
import tree_sitter_language_pack

from thread_assets.engine.analyze import analyze
from thread_assets.engine.extract import extractor_for
from thread_assets.engine.extract.common import Source
from thread_assets.engine.extract.generic import classify, extract, grammar_spec
from thread_assets.engine.languages import LANGUAGES
from thread_assets.engine.parse import parse

ALL_LANGUAGES = sorted(typing.get_args(tree_sitter_language_pack.SupportedLanguage))
NEVER_PARSE = {name for name, info in LANGUAGES.items() if info.may_hang}

CASES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "kotlin": (
        "package a\n\nclass Foo(val x: Int) {\n    fun bar(): Int = x\n    val y = 1\n}\n\nobject Single\n\ninterface Shape {\n    fun area(): Double\n}\n\nfun top() {\n    val local = 2\n}\n",
        [
            ("Foo", "class"),
            ("Foo.bar", "method"),
            ("Foo.y", "property"),
            ("Single", "class"),
            ("Shape", "interface"),
            ("Shape.area", "method"),
            ("top", "function"),
        ],
    ),
    "swift": (
        "class Foo {\n  var x = 1\n  func bar() -> Int { let y = 2; return y }\n  init() {}\n}\nstruct P { let a: Int }\nprotocol Shape { func area() -> Double }\nenum E { case a, b }\nfunc top() {}\n",
        [
            ("Foo", "class"),
            ("Foo.x", "property"),
            ("Foo.bar", "method"),
            ("Foo.init", "method"),
            ("P", "struct"),
            ("P.a", "property"),
            ("Shape", "interface"),
            ("Shape.area", "method"),
            ("E", "enum"),
            ("E.a", "enum_member"),
            ("top", "function"),
        ],
    ),
    "ruby": (
        "module Outer\n  class Foo < Base\n    def bar(x)\n      x\n    end\n    def self.build; end\n  end\nend\ndef top; end\n",
        [
            ("Outer", "module"),
            ("Outer.Foo", "class"),
            ("Outer.Foo.bar", "method"),
            ("Outer.Foo.build", "method"),
            ("top", "function"),
        ],
    ),
    "php": (
        "<?php\nnamespace App;\nclass Foo {\n  const X = 1;\n  public $p;\n  public function bar() { return 1; }\n}\ninterface I {}\ntrait T {}\nfunction top() {}\n",
        [
            ("App", "namespace"),
            ("Foo", "class"),
            ("Foo.bar", "method"),
            ("I", "interface"),
            ("T", "trait"),
            ("top", "function"),
        ],
    ),
    "csharp": (
        "namespace App {\n  public class Foo {\n    private int x;\n    public int P { get; set; }\n    public void Bar() { var y = 1; }\n  }\n  interface IShape {}\n  enum Color { Red, Green }\n  struct Pt {}\n}\n",
        [
            ("App", "namespace"),
            ("App.Foo", "class"),
            ("App.Foo.x", "field"),
            ("App.Foo.P", "property"),
            ("App.Foo.Bar", "method"),
            ("App.IShape", "interface"),
            ("App.Color", "enum"),
            ("App.Color.Red", "enum_member"),
            ("App.Color.Green", "enum_member"),
            ("App.Pt", "struct"),
        ],
    ),
    "scala": (
        "package a\nobject Main {\n  def main(args: Array[String]): Unit = {}\n  val x = 1\n}\nclass Foo\ntrait Bar\ncase class Pt(x: Int)\n",
        [
            ("Main", "class"),
            ("Main.main", "method"),
            ("Main.x", "field"),
            ("Foo", "class"),
            ("Bar", "trait"),
            ("Pt", "class"),
        ],
    ),
    "lua": (
        "local M = {}\nfunction M.greet(name) return name end\nfunction M:method() end\nlocal function helper() end\nfunction top() end\nreturn M\n",
        [("M", "variable"), ("greet", "function"), ("method", "method"), ("helper", "function"), ("top", "function")],
    ),
    "bash": (
        "#!/bin/bash\nfoo() { echo hi; }\nfunction bar {\n  local x=1\n}\n",
        [("foo", "function"), ("bar", "function")],
    ),
    "elixir": (
        "defmodule Foo.Bar do\n  def hello(x) when x > 1, do: x\n  defp priv(y) do\n    y\n  end\n  defmacro m(a), do: a\nend\n",
        [("Foo.Bar", "module"), ("Foo.Bar.hello", "function"), ("Foo.Bar.priv", "function"), ("Foo.Bar.m", "macro")],
    ),
    "haskell": (
        "module Main where\ndata Shape = Circle Float | Square Float\nnewtype Name = Name String\nclass Show a where\n  display :: a -> String\narea :: Shape -> Float\narea (Circle r) = r\narea (Square s) = s\nmain = print 1\n",
        [("Shape", "struct"), ("Name", "struct"), ("Show", "interface"), ("area", "function"), ("main", "function")],
    ),
    "ocaml": (
        "let f x = x + 1\nlet y = 2\ntype t = int\nmodule M = struct\n  let inner z = z\nend\n",
        [("f", "function"), ("y", "variable"), ("t", "type_alias"), ("M", "module"), ("M.inner", "function")],
    ),
    "zig": (
        'const std = @import("std");\npub fn main() void {}\nconst S = struct {\n  x: i32,\n  fn method(self: S) void { _ = self; }\n};\n',
        [("std", "constant"), ("main", "function"), ("S", "struct"), ("S.method", "method")],
    ),
    "dart": (
        "class Foo {\n  int x = 1;\n  void bar() {}\n}\nenum Color { red, green }\nvoid main() {}\nmixin M {}\n",
        [
            ("Foo", "class"),
            ("Foo.bar", "method"),
            ("Color", "enum"),
            ("Color.red", "enum_member"),
            ("Color.green", "enum_member"),
            ("main", "function"),
            ("M", "trait"),
        ],
    ),
    "julia": (
        "module M\nstruct Point\n  x::Float64\nend\nfunction area(p)\n  p.x\nend\nmacro m(x) x end\nabstract type Shape end\nend\n",
        [("M", "module"), ("M.Point", "struct"), ("M.area", "function"), ("M.m", "macro"), ("M.Shape", "type_alias")],
    ),
    "perl": (
        "package Foo;\nuse strict;\nsub new { my $c = shift; }\nsub bar { return 1; }\n1;\n",
        [("Foo", "module"), ("new", "function"), ("bar", "function")],
    ),
    "r": (
        "f <- function(x) x + 1\ng = function(y) y\nz <- 3\n",
        [("f", "function"), ("g", "function")],
    ),
    "sql": (
        "CREATE TABLE users (id int);\nCREATE VIEW active AS SELECT 1;\nCREATE FUNCTION add_one(x int) RETURNS int AS $$ select 1 $$ LANGUAGE sql;\nCREATE INDEX users_id ON users(id);\n",
        [("users", "other"), ("active", "other"), ("add_one", "function"), ("users_id", "other")],
    ),
    "hcl": (
        'job "web" {\n  group "g" {}\n}\n',
        [("job.web", "other")],
    ),
    "terraform": (
        'resource "aws_instance" "web" {\n  ami = "x"\n  lifecycle {}\n}\nvariable "region" {}\nmodule "vpc" {\n  source = "./vpc"\n}\n',
        [("resource.aws_instance.web", "other"), ("variable.region", "variable"), ("module.vpc", "module")],
    ),
    "make": (
        "all: build\nbuild: main.o\n\tcc -o app main.o\n.PHONY: all\n",
        [("all", "other"), ("build", "other"), (".PHONY", "other")],
    ),
    "cmake": (
        "cmake_minimum_required(VERSION 3.10)\nfunction(my_fn a b)\nendfunction()\nmacro(my_macro x)\nendmacro()\n",
        [("my_fn", "function"), ("my_macro", "macro")],
    ),
    "dockerfile": (
        "FROM python:3 AS build\nRUN pip install x\nFROM alpine\nCOPY --from=build /a /b\n",
        [("build", "other")],
    ),
    "markdown": (
        "# Title\n\ntext\n\n## Install\n\nmore\n",
        [("Title", "other"), ("Title.Install", "other")],
    ),
    "proto": (
        'syntax = "proto3";\nmessage User {\n  string name = 1;\n}\nenum Color { RED = 0; }\nservice Api {\n  rpc Get(User) returns (User);\n}\n',
        [
            ("User", "struct"),
            ("Color", "enum"),
            ("Color.RED", "enum_member"),
            ("Api", "interface"),
            ("Api.Get", "method"),
        ],
    ),
    "thrift": (
        "struct User {\n  1: string name\n}\nenum Color { RED = 1 }\nservice Api {\n  User get(1: i32 id)\n}\n",
        [("User", "struct"), ("Color", "enum"), ("Api", "interface"), ("Api.get", "method")],
    ),
    "graphql": (
        "type User {\n  name: String\n}\ninterface Node { id: ID! }\nenum Color { RED }\ninput UserInput { name: String }\nquery GetUser { user { name } }\n",
        [
            ("User", "class"),
            ("User.name", "field"),
            ("Node", "interface"),
            ("Node.id", "field"),
            ("Color", "enum"),
            ("Color.RED", "enum_member"),
            ("UserInput", "struct"),
            ("GetUser", "function"),
        ],
    ),
    "clojure": (
        "(ns foo.core)\n(defn hello [x] x)\n(def y 1)\n(defmacro m [x] x)\n",
        [("foo.core", "namespace"), ("hello", "function"), ("y", "variable"), ("m", "macro")],
    ),
    "scheme": (
        "(define (f x) x)\n(define y 1)\n",
        [("f", "function"), ("y", "variable")],
    ),
    "racket": (
        "#lang racket\n(define (f x) x)\n(define y 1)\n",
        [("f", "function"), ("y", "variable")],
    ),
    "commonlisp": (
        "(defun foo (x) x)\n(defmacro bar (y) y)\n(defvar *z* 1)\n",
        [("foo", "function"), ("bar", "macro"), ("*z*", "variable")],
    ),
    "elisp": (
        "(defun my-fn (x) x)\n(defmacro my-mac (y) y)\n(defvar my-var 1)\n",
        [("my-fn", "function"), ("my-mac", "macro"), ("my-var", "variable")],
    ),
    "erlang": (
        "-module(m).\n-export([f/1]).\nf(0) -> 1;\nf(X) -> X.\ng() -> ok.\n",
        [("f", "function"), ("g", "function")],
    ),
    "nim": (
        "proc greet(name: string) = echo name\ntype Point = object\n  x: int\nfunc sq(x: int): int = x * x\n",
        [("greet", "function"), ("Point", "type_alias"), ("Point.x", "field"), ("sq", "function")],
    ),
    "fortran": (
        "module m\ncontains\n  function f(x)\n    real :: x, f\n    f = x\n  end function f\nend module m\nprogram main\nend program main\n",
        [("m", "module"), ("m.f", "function"), ("main", "module")],
    ),
    "solidity": (
        "pragma solidity ^0.8.0;\ncontract Token {\n  uint256 total;\n  event Transfer(address to);\n  function mint(uint256 x) public {}\n}\ninterface IERC {}\n",
        [
            ("Token", "class"),
            ("Token.total", "field"),
            ("Token.Transfer", "property"),
            ("Token.mint", "method"),
            ("IERC", "interface"),
        ],
    ),
    "vim": (
        "function! MyFunc(a)\n  return a:a\nendfunction\nlet g:x = 1\n",
        [("MyFunc", "function")],
    ),
    "tcl": (
        "proc greet {name} {\n  puts $name\n}\nnamespace eval ns {}\n",
        [("greet", "function")],
    ),
    "powershell": (
        "function Get-Thing {\n  param($x)\n  $x\n}\nclass Foo {\n  [int]Bar() { return 1 }\n}\n",
        [("Get-Thing", "function"), ("Foo", "class"), ("Foo.Bar", "method")],
    ),
    "d": (
        "module app;\nclass Foo { void bar() {} }\nstruct S { int x; }\nvoid main() {}\n",
        [
            ("app", "module"),
            ("Foo", "class"),
            ("Foo.bar", "method"),
            ("S", "struct"),
            ("S.x", "field"),
            ("main", "function"),
        ],
    ),
    "elm": (
        "module Main exposing (..)\ntype alias Model = { x : Int }\ntype Msg = Inc\nupdate : Msg -> Model -> Model\nupdate msg model = model\n",
        [
            ("Main", "module"),
            ("Model", "type_alias"),
            ("Msg", "type_alias"),
            ("Msg.Inc", "enum_member"),
            ("update", "function"),
        ],
    ),
    "gleam": (
        "pub type Color { Red Green }\npub fn main() { 1 }\nconst x = 1\n",
        [("Color", "type_alias"), ("main", "function"), ("x", "constant")],
    ),
    "starlark": (
        "def _impl(ctx):\n    pass\nmy_rule = rule(implementation = _impl)\n",
        [("_impl", "function")],
    ),
    "ini": (
        '[core]\nx = 1\n[remote "origin"]\nurl = y\n',
        [("core", "other"), ('remote "origin"', "other")],
    ),
    "scss": (
        "@mixin flex($d) { display: flex; }\n@function double($n) { @return $n * 2; }\n.a { color: red; }\n",
        [("flex", "function"), ("double", "function")],
    ),
    "latex": (
        "\\documentclass{article}\n\\newcommand{\\foo}{bar}\n\\begin{document}\n\\section{Intro}\n\\label{sec:intro}\n\\end{document}\n",
        [("\\foo", "macro"), ("Intro", "other"), ("Intro.sec:intro", "other")],
    ),
    "verilog": (
        "module counter(input clk);\n  function integer f; input a; f = a; endfunction\nendmodule\n",
        [("counter", "module"), ("counter.f", "function")],
    ),
    "vhdl": (
        "entity e is end entity;\narchitecture rtl of e is begin end architecture;\n",
        [("e", "module")],
    ),
    "pascal": (
        "program P;\nprocedure Foo;\nbegin\nend;\nfunction Bar: Integer;\nbegin\n  Bar := 1;\nend;\nbegin\nend.\n",
        [("P", "module"), ("P.Foo", "function"), ("P.Bar", "function")],
    ),
    "fsharp": (
        "module M\nlet f x = x + 1\ntype Point = { X: int }\n",
        [("M", "module"), ("M.f", "function"), ("M.Point", "type_alias")],
    ),
    "purescript": (
        "module Main where\ndata Maybe a = Nothing | Just a\nf :: Int -> Int\nf x = x\n",
        [("Maybe", "struct"), ("f", "function")],
    ),
    "apex": (
        "public class Foo {\n  public Integer x;\n  public void bar() {}\n}\n",
        [("Foo", "class"), ("Foo.x", "field"), ("Foo.bar", "method")],
    ),
    "actionscript": (
        "package a {\n  public class Foo {\n    public function bar():void {}\n  }\n}\n",
        [("a", "module"), ("a.Foo", "class"), ("a.Foo.bar", "method")],
    ),
    "ada": (
        "package body P is\n  procedure Foo is\n  begin\n    null;\n  end Foo;\nend P;\n",
        [("P", "module"), ("P.Foo", "function")],
    ),
    "arduino": (
        "void setup() {}\nvoid loop() {}\n",
        [("setup", "function"), ("loop", "function")],
    ),
    "cuda": (
        "__global__ void kernel(float *x) {}\nstruct S { int a; };\n",
        [("kernel", "function"), ("S", "struct"), ("S.a", "field")],
    ),
    "glsl": (
        "struct Light { vec3 pos; };\nvoid main() {}\n",
        [("Light", "struct"), ("Light.pos", "field"), ("main", "function")],
    ),
    "hlsl": (
        "struct VSOut { float4 pos : SV_POSITION; };\nfloat4 main() : SV_TARGET { return 0; }\n",
        [("VSOut", "struct"), ("VSOut.pos", "field"), ("main", "function")],
    ),
    "wgsl": (
        "struct V { pos: vec4<f32>, }\n@vertex fn main() -> @builtin(position) vec4<f32> { return vec4<f32>(); }\n",
        [("V", "struct"), ("main", "function")],
    ),
    "odin": (
        "package main\nPoint :: struct { x: int }\nmain :: proc() {}\n",
        [("main", "module"), ("Point", "struct"), ("main", "function")],
    ),
    "v": (
        "module main\nstruct Point { x int }\nfn main() {}\n",
        [("Point", "struct"), ("Point.x", "field"), ("main", "function")],
    ),
    "hare": (
        "export fn main() void = void;\ntype t = int;\n",
        [("main", "function"), ("t", "type_alias")],
    ),
    "nix": (
        "{ pkgs }:\nlet f = x: x;\nin { a = 1; }\n",
        [("f", "function"), ("a", "variable")],
    ),
    "jsonnet": (
        "local f(x) = x;\n{ a: f(1) }\n",
        [("f", "function")],
    ),
    "bicep": (
        "param location string\nvar name = 'x'\nresource sa 'Microsoft.Storage/storageAccounts@2021-02-01' = {\n  name: name\n}\noutput id string = sa.id\n",
        [("location", "variable"), ("name", "variable"), ("sa", "other"), ("id", "other")],
    ),
    "capnp": (
        "@0xdbb9ad1f14bf0b36;\nstruct Person {\n  name @0 :Text;\n}\ninterface Api {\n  get @0 () -> ();\n}\n",
        [("Person", "struct"), ("Api", "interface"), ("Api.get", "method")],
    ),
    "prisma": (
        "model User {\n  id Int @id\n}\nenum Role {\n  USER\n}\n",
        [("User", "struct"), ("Role", "enum")],
    ),
    "smithy": (
        'namespace ex\nservice Api { version: "1" }\nstructure User { name: String }\n',
        [("ex", "namespace"), ("Api", "interface"), ("User", "struct")],
    ),
    "puppet": (
        "class apache {\n  package { 'httpd': }\n}\ndefine apache::vhost($port) {}\n",
        [("apache", "class"), ("apache::vhost", "class")],
    ),
    "gdscript": (
        "extends Node\nclass_name Player\nsignal hit\nconst SPEED = 1\nvar x = 1\nfunc _ready():\n\tpass\n",
        [("Player", "class"), ("hit", "property"), ("SPEED", "constant"), ("x", "variable"), ("_ready", "function")],
    ),
    "cairo": (
        "fn main() {}\nstruct S { x: felt252 }\ntrait T { fn f(); }\nmod m {}\n",
        [("main", "function"), ("S", "struct"), ("S.x", "field"), ("T", "trait"), ("m", "module")],
    ),
    "qmljs": (
        "import QtQuick 2.0\nItem {\n  property int x: 1\n  signal clicked\n  function f() { return 1 }\n}\n",
        [("Item", "class"), ("Item.x", "property"), ("Item.clicked", "property"), ("Item.f", "method")],
    ),
    "matlab": (
        "function y = f(x)\n  y = x;\nend\n",
        [("f", "function")],
    ),
    "haxe": (
        "class Main {\n  static function main() {}\n}\n",
        [("Main", "class"), ("Main.main", "method")],
    ),
    "squirrel": (
        "class Foo {\n  function bar() {}\n}\nfunction top() {}\n",
        [("Foo", "class"), ("Foo.bar", "method"), ("top", "function")],
    ),
    "fish": (
        "function greet\n  echo hi\nend\n",
        [("greet", "function")],
    ),
    "tablegen": (
        'class Inst<string n> { string Name = n; }\ndef ADD : Inst<"add">;\n',
        [("Inst", "class"), ("ADD", "variable")],
    ),
    "llvm": (
        "@g = global i32 0\ndefine i32 @main() {\n  ret i32 0\n}\n",
        [("@g", "variable"), ("@main", "function")],
    ),
    "wat": (
        "(module\n  (func $add (param i32) (result i32) local.get 0)\n  (global $g i32 (i32.const 0))\n)\n",
        [("$add", "function"), ("$g", "variable")],
    ),
    "asm": (
        "_start:\n  mov eax, 1\nloop:\n  jmp loop\n",
        [("_start", "function"), ("loop", "function")],
    ),
    "ninja": (
        "rule cc\n  command = cc $in\nbuild foo.o: cc foo.c\n",
        [("cc", "other")],
    ),
    "kconfig": (
        'config FOO\n\tbool "Foo"\nmenu "Bar"\nendmenu\n',
        [("FOO", "variable")],
    ),
    "rst": (
        "Title\n=====\n\nText.\n\nSub\n---\n\nMore.\n",
        [("Title", "other"), ("Sub", "other")],
    ),
    "org": (
        "* Heading\ntext\n** Sub\n",
        [("Heading", "other"), ("Heading.Sub", "other")],
    ),
    "typst": (
        "= Intro\n#let f(x) = x\n",
        [("Intro", "other"), ("f", "function")],
    ),
    "bibtex": (
        "@article{knuth1984,\n  title={Literate},\n}\n",
        [("knuth1984", "other")],
    ),
    "dtd": (
        '<!ELEMENT note (to)>\n<!ENTITY writer "Me">\n',
        [("note", "other"), ("writer", "constant")],
    ),
    "janet": (
        "(defn foo [x] x)\n(def y 1)\n",
        [("foo", "function"), ("y", "variable")],
    ),
    "fennel": (
        "(fn foo [x] x)\n(local y 1)\n(macro m [x] x)\n",
        [("foo", "function")],
    ),
    "magik": (
        "_method a.b\n_endmethod\n",
        [("b", "method")],
    ),
    "pony": (
        "actor Main\n  new create(env: Env) => None\nclass Foo\n  fun bar(): U32 => 1\n",
        [("Main", "class"), ("Foo", "class"), ("Foo.bar", "method")],
    ),
    "clarity": (
        "(define-public (transfer (x uint)) (ok x))\n(define-constant owner tx-sender)\n(define-map balances principal uint)\n",
        [("transfer", "function"), ("owner", "constant")],
    ),
    "func": (
        "int add(int a, int b) { return a + b; }\n",
        [("add", "function")],
    ),
    "gn": (
        'template("my_tpl") {\n}\nexecutable("app") {\n  sources = [ "a.cc" ]\n}\n',
        [("my_tpl", "function"), ("app", "other")],
    ),
    "hack": (
        "<?hh\nclass Foo {\n  public function bar(): void {}\n}\nfunction top(): void {}\n",
        [("Foo", "class"), ("Foo.bar", "method"), ("top", "function")],
    ),
    "luau": (
        "local function f(x) return x end\ntype Point = { x: number }\n",
        [("f", "function"), ("Point", "type_alias")],
    ),
    "netlinx": (
        "DEFINE_FUNCTION integer f() { return 1 }\n",
        [("f", "function")],
    ),
    "nqc": (
        "task main() { }\nsub foo() { }\n",
        [("main", "function"), ("foo", "function")],
    ),
    "bsl": (
        "Procedure Foo()\nEndProcedure\nFunction Bar()\n  Return 1;\nEndFunction\n",
        [("Foo", "function"), ("Bar", "function")],
    ),
    "firrtl": (
        "circuit Top :\n  module Top :\n    input x : UInt<1>\n",
        [("Top", "module")],
    ),
    "chatito": (
        "%[greet]\n    hello\n",
        [("greet", "other")],
    ),
    "linkerscript": (
        "SECTIONS\n{\n  .text : { *(.text) }\n}\n",
        [(".text", "other")],
    ),
    "ispc": (
        "export void f(uniform float x[]) {}\nstruct S { float a; };\n",
        [("f", "function"), ("S", "struct"), ("S.a", "field")],
    ),
    "smali": (
        ".class public LFoo;\n.super Ljava/lang/Object;\n.method public bar()V\n  return-void\n.end method\n",
        [("LFoo;", "class"), ("bar", "method")],
    ),
    "ungrammar": (
        "Name = 'ident'\nPath = Name\n",
        [("Name", "other"), ("Path", "other")],
    ),
    "uxntal": (
        "|0100\n@main #01 #02 ADD BRK\n%macro { ADD }\n",
        [("main", "function"), ("macro", "macro")],
    ),
    "yuck": (
        "(defwindow bar :monitor 0 (box))\n(defwidget w [] (box))\n",
        [("bar", "other"), ("w", "function")],
    ),
    "ocaml_interface": (
        "val f : int -> int\ntype t\nmodule M : sig end\n",
        [("f", "function"), ("t", "type_alias"), ("M", "module")],
    ),
    "fsharp_signature": (
        "namespace N\n\nval f : int -> int\n",
        [("N", "namespace"), ("N.f", "function")],
    ),
    "bitbake": (
        'DESCRIPTION = "x"\ndo_install() {\n  echo hi\n}\npython do_foo() {\n  pass\n}\n',
        [("do_install", "function")],
    ),
    "wast": (
        "(module\n  (func $f (result i32) i32.const 1)\n)\n",
        [("$f", "function")],
    ),
}

SMOKE: dict[str, str] = {
    "agda": "module M where\ndata Nat : Set where\n  zero : Nat\nf : Nat -> Nat\nf x = x\n",
    "astro": "---\nconst x = 1;\n---\n<h1>{x}</h1>\n",
    "beancount": "2024-01-01 open Assets:Cash USD\n",
    "c": "int add(int a, int b) { return a + b; }\n",
    "comment": "TODO: fix this\n",
    "cpon": '{"a": 1, "b": [1, 2]}\n',
    "cpp": "namespace n { class A { public: int f(); }; }\n",
    "css": "a { color: red; }\n",
    "csv": '"a","b"\n1,2\n',
    "doxygen": "/**\n * @brief Adds.\n * @param a first\n */\n",
    "embeddedtemplate": "<% if x %>\n<p><%= y %></p>\n<% end %>\n",
    "gitattributes": "*.png binary\n*.c text eol=lf\n",
    "gitcommit": "Fix the parser\n\nLonger body.\n",
    "gitignore": "*.pyc\n/build/\n!keep\n",
    "go": "package main\n\nfunc main() {}\n",
    "gomod": "module example.com/m\n\ngo 1.21\n\nrequire golang.org/x/text v0.3.0\n",
    "gosum": "golang.org/x/text v0.3.0 h1:g61tztE5qeGQ89tm6NTjjM9VPIm088od1l6aSorWRWg=\n",
    "groovy": "def x = 1\nprintln x\n",
    "gstlaunch": "videotestsrc ! autovideosink\n",
    "heex": "<div class={@cls}><%= @x %></div>\n",
    "html": "<!DOCTYPE html>\n<html><body><p>Hi</p></body></html>\n",
    "hyprlang": "general {\n    gaps_in = 5\n}\n",
    "java": "class A { void f() {} }\n",
    "javascript": "function f() { return 1; }\n",
    "jsdoc": "/**\n * @param {string} a - the a\n */",
    "json": '{"a": [1, 2, {"b": null}]}\n',
    "kdl": 'node "arg" key=1 {\n    child\n}\n',
    "luadoc": "@param x number",
    "luap": "%a+",
    "markdown_inline": "Some *emphasis* and `code`.",
    "mermaid": "sequenceDiagram\n    A->>B: hi\n",
    "meson": "project('p', 'c')\nexecutable('app', 'main.c')\n",
    "objc": "#import <Foundation/Foundation.h>\n@interface Foo : NSObject\n- (void)bar;\n@end\n@implementation Foo\n- (void)bar {}\n@end\nint main(void) { return 0; }\n",
    "pem": "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ\n-----END CERTIFICATE-----\n",
    "pgn": '[Event "Casual"]\n\n1. e4 e5 2. Nf3 Nc6 *\n',
    "po": 'msgid "Hello"\nmsgstr "Bonjour"\n',
    "printf": "%d items %s",
    "properties": "a.b = 1\nc: two\n",
    "psv": "1|2\n3|4\n",
    "pymanifest": "include README.md\nrecursive-include src *.py\n",
    "python": "def f():\n    return 1\n",
    "qmldir": "module MyModule\nMyType 1.0 MyType.qml\n",
    "query": "(function_definition name: (identifier) @name)\n",
    "re2c": "/*!re2c\n  [a-z]+ { return 1; }\n*/\n",
    "readline": "set editing-mode vi\n",
    "rego": 'package authz\n\ndefault allow := false\n\nallow if input.user == "admin"\n\ndeny contains msg if {\n  msg := "x"\n}\n',
    "requirements": "requests>=2.0\nflask==2.0.1\n",
    "ron": "(a: 1, b: [1, 2])\n",
    "rust": "fn main() {}\n",
    "sparql": "SELECT ?s WHERE { ?s ?p ?o }\n",
    "svelte": "<script>\n  let x = 1;\n</script>\n<p>{x}</p>\n",
    "test": "==================\nName\n==================\n\ncode\n\n---\n\n(tree)\n",
    "toml": '[package]\nname = "x"\n',
    "tsv": "1\t2\n3\t4\n",
    "tsx": "const A = () => <div />;\n",
    "twig": "{% block body %}{{ x }}{% endblock %}\n",
    "typescript": "function f(x: number): number { return x; }\n",
    "udev": 'SUBSYSTEM=="usb", MODE="0666"\n',
    "vue": "<template>\n  <div>{{ x }}</div>\n</template>\n",
    "xcompose": '<Multi_key> <a> <e> : "æ" ae\n',
    "xml": '<?xml version="1.0"?>\n<a><b x="1"/></a>\n',
    "yaml": "a: 1\nb:\n  - c\n",
}


def _pairs(code: str, language: str) -> list[tuple[str, str]]:
    tree, _ = parse(code.encode(), language)
    assert not tree.root_node.has_error, f"{language} snippet does not parse cleanly"
    symbols, imports, calls = extract(tree.root_node, Source(code.encode()), language)
    assert imports == () and calls == ()
    return [(s.qualified_name, s.kind) for s in symbols]


@pytest.mark.parametrize("language", sorted(CASES))
def test_expected_symbols(language: str) -> None:
    code, expected = CASES[language]
    assert LANGUAGES[language].level == "generic"
    assert _pairs(code, language) == [tuple(p) for p in expected]


def test_case_spread() -> None:
    assert len(CASES) >= 30
    assert set(CASES) | set(SMOKE) | NEVER_PARSE == set(ALL_LANGUAGES)


@pytest.mark.parametrize("language", [name for name in ALL_LANGUAGES if name not in NEVER_PARSE])
def test_every_language_parses_and_analyzes(language: str) -> None:
    code = CASES[language][0] if language in CASES else SMOKE[language]
    tree, _ = parse(code.encode(), language)
    assert not tree.root_node.has_error
    extract(tree.root_node, Source(code.encode()), language)  # must not raise, whatever the level
    result = analyze(f"sample.{language}", code.encode(), language)
    assert result.status == "ok", result.reason
    assert result.level == LANGUAGES[language].level
    if LANGUAGES[language].level == "parse":
        assert extractor_for(language, "parse") is None and result.symbols == ()


def test_cobol_is_never_parsed() -> None:
    assert {"cobol"} == NEVER_PARSE
    assert LANGUAGES["cobol"].level == "parse"


def test_parents_and_ids() -> None:
    code = CASES["ruby"][0]
    tree, _ = parse(code.encode(), "ruby")
    symbols, _, _ = extract(tree.root_node, Source(code.encode()), "ruby")
    by_name = {s.name: s for s in symbols}
    assert by_name["Foo"].id == "Outer.Foo"
    assert by_name["bar"].parent == "Outer.Foo"
    assert by_name["Foo"].parent == "Outer"
    assert by_name["bar"].location.start_line == 3
    assert by_name["bar"].signature == "def bar(x)"


def test_locals_are_not_symbols() -> None:
    names = [q for q, _ in _pairs("fun top() {\n    val local = 2\n}\n\nval shared = 1\n", "kotlin")]
    assert names == ["top", "shared"]


def test_clauses_merge_into_one_function() -> None:
    assert _pairs("f :: Int -> Int\nf 0 = 1\nf n = n\n", "haskell") == [("f", "function")]


def test_deep_nesting_does_not_recurse() -> None:
    depth = 3000
    code = "".join(f"module M{i}\n" for i in range(depth)) + "end\n" * depth
    tree, _ = parse(code.encode(), "ruby")
    symbols, _, _ = extract(tree.root_node, Source(code.encode()), "ruby")
    assert len(symbols) == depth
    assert symbols[-1].parent == symbols[-2].id


def test_deterministic() -> None:
    code = CASES["csharp"][0].encode()
    tree1, _ = parse(code, "csharp")
    tree2, _ = parse(code, "csharp")
    assert extract(tree1.root_node, Source(code), "csharp") == extract(tree2.root_node, Source(code), "csharp")


@pytest.mark.parametrize(
    ("node_type", "kind"),
    [
        ("function_definition", "function"),
        ("method_declaration", "method"),
        ("class_specifier", "class"),
        ("struct_item", "struct"),
        ("enum_member_declaration", "enum_member"),
        ("singleton_method", "method"),
        ("protocol_property_declaration", "property"),
        ("defProc", None),
        ("function_call", None),
        ("call_expression", None),
        ("parameter_declaration", None),
        ("array_type", None),
        ("type_identifier", None),
        ("storage_class_specifier", None),
        ("function_body", None),
    ],
)
def test_classify(node_type: str, kind: str | None) -> None:
    assert classify(node_type) == kind


def test_grammar_spec_is_cached_and_valid() -> None:
    spec = grammar_spec("kotlin")
    assert spec is grammar_spec("kotlin")
    assert spec.query is not None
    assert "function_declaration" in spec.kinds and "function_call" not in spec.kinds
