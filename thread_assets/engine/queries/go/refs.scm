; Everything the Go extractor needs from inside function bodies, in one cursor pass (each extra
; pass over the tree costs a large fraction of the parse).
;
; @call: call sites. @conv: type conversions; the extractor keeps those of a generic type, since
; an explicitly instantiated generic call (`F[int](x)`) parses as one; plain conversions such as
; `[]byte(s)` are not calls.
; @use: a Go package name can only be used qualified, as the operand of a selector (`fmt.Println`)
; or the package of a qualified type (`io.Reader`): these are all the uses an import can have.
(call_expression) @call
(type_conversion_expression) @conv
(selector_expression operand: (identifier) @use)
(qualified_type package: (package_identifier) @use)
