; One pass over the tree gives everything the Python extractor needs: the extractor sorts the
; captures by position and keeps a stack of enclosing scopes, so no capture needs its ancestors.
; Patterns stay bare (no field constraints): each constraint costs a measurable share of the pass.
(decorated_definition) @decorated
(function_definition) @def
(class_definition) @def
(assignment) @assign
(augmented_assignment) @augassign
(type_alias_statement) @alias
(import_statement) @import
(import_from_statement) @import
(future_import_statement) @import
(call) @call
