; One pass over a Rust file. Every definition, import and call comes back under @item; the
; extractor dispatches on node type and rebuilds nesting from byte ranges.
; The last pattern finds call candidates inside macro arguments (flat token trees): a name
; followed by a tree, possibly with a `!` or an operator between; Python checks which.
[
  (function_item)
  (function_signature_item)
  (struct_item)
  (union_item)
  (enum_item)
  (enum_variant)
  (field_declaration)
  (trait_item)
  (impl_item)
  (type_item)
  (associated_type)
  (const_item)
  (static_item)
  (mod_item)
  (macro_definition)
  (use_declaration)
  (extern_crate_declaration)
  (call_expression)
  (macro_invocation)
] @item

(token_tree (identifier) @item . (token_tree))
