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
; Read by the semantic pass (semantics/python_scopes.py), not by the extractor: what binds a
; name in a function, where a scope starts, what a function returns. Listed here so that one
; cursor walk serves both.
(list_comprehension) @comprehension
(set_comprehension) @comprehension
(dictionary_comprehension) @comprehension
(generator_expression) @comprehension
(named_expression) @walrus
(for_statement) @for
(for_in_clause) @for
(with_item) @with
(except_clause) @except
(global_statement) @global
(nonlocal_statement) @nonlocal
(return_statement) @return
(yield) @yield
(raise_statement) @raise
