; Everything the C++ extractor reads outside the declaration walk, in one pass over the whole
; tree (function bodies included): calls and `new`, includes, module imports, using
; declarations, namespace aliases, macro definitions, and types with a body or type aliases
; (those inside function bodies are local types). One alternation with one capture name is the
; cheapest query; the extractor splits the captures by node type.
[
  (call_expression)
  (new_expression)
  (preproc_include)
  (import_declaration)
  (using_declaration)
  (namespace_alias_definition)
  (preproc_def)
  (preproc_function_def)
  (type_definition)
  (alias_declaration)
  (class_specifier body: (_))
  (struct_specifier body: (_))
  (union_specifier body: (_))
  (enum_specifier body: (_))
] @ref
