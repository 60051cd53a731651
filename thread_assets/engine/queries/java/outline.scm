; Everything the Java extractor needs, in one cursor pass (each pass costs a large fraction of the
; parse).
; Declarations come back in source order per capture; the extractor merges and sorts them and
; finds each one's owner by walking up a few parents.
[
  (class_declaration)
  (interface_declaration)
  (enum_declaration)
  (record_declaration)
  (annotation_type_declaration)
] @type
[
  (method_declaration)
  (constructor_declaration)
  (compact_constructor_declaration)
  (annotation_type_element_declaration)
] @method
[
  (field_declaration)
  (constant_declaration)
] @field
(enum_constant) @enum_constant

; Calls: `m()` / `obj.m()`, `new Foo()`, `this(...)` / `super(...)`. Method references
; (`Foo::bar`) are not calls.
(method_invocation) @call
(object_creation_expression) @new
(explicit_constructor_invocation) @ctor_call

; Names used anywhere (an import is used when its bound name appears outside import statements).
(identifier) @use
(type_identifier) @use
