; One pass over a TypeScript/TSX file: definitions (@def), anonymous scopes that own calls
; (@scope), calls (@call), and module statements (@module). TSX shares this file.

[
  (function_declaration)
  (generator_function_declaration)
  (function_signature)
  (class_declaration)
  (abstract_class_declaration)
  (interface_declaration)
  (type_alias_declaration)
  (enum_declaration)
  (internal_module)
  (module)
  (method_definition)
  (method_signature)
  (abstract_method_signature)
  (public_field_definition)
  (property_signature)
  (construct_signature)
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

