; One pass over a JavaScript file: definitions (@def), anonymous scopes that own calls
; (@scope), calls (@call), module statements (@module).
; extract/javascript.py dispatches on node type; order of patterns does not matter.

[
  (function_declaration)
  (generator_function_declaration)
  (class_declaration)
  (method_definition)
  (field_definition)
  (lexical_declaration)
  (variable_declaration)
  (assignment_expression)
] @def

[
  (function_expression)
  (generator_function)
  (arrow_function)
  (class)
] @scope

[
  (call_expression)
  (new_expression)
] @call

[
  (import_statement)
  (export_statement)
] @module

