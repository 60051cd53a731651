; One pass over the tree gives everything the Python extractor needs: the extractor reads the
; matches in document order and keeps a stack of enclosing scopes, so no capture needs its ancestors.
; Patterns stay bare (one node, no field constraints): each constraint costs a measurable share of
; the pass, and a one-node pattern completes as soon as the cursor enters its node, which is what
; keeps the matches in document order. Each pattern has its own capture name: the extractor maps
; the pattern index to a kind once, so no node's type is ever asked for.
(decorated_definition) @decorated
(function_definition) @function
(class_definition) @class
(type_alias_statement) @alias
(assignment) @assign
(augmented_assignment) @augassign
(lambda) @lambda
(call) @call
(import_statement) @import
(import_from_statement) @import_from
(future_import_statement) @future_import
