; Everything the C extractor reads outside the declaration walk, in one pass over the whole tree
; (function bodies included): calls, includes, macro definitions, and types with a body or
; typedefs (those inside function bodies are local types). One alternation with one capture
; name is the cheapest query; the extractor splits the captures by node type.
[
  (call_expression)
  (preproc_include)
  (preproc_def)
  (preproc_function_def)
  (type_definition)
  (struct_specifier body: (_))
  (union_specifier body: (_))
  (enum_specifier body: (_))
] @ref
