; Names a C++ file refers to, for deciding whether a `using` / namespace alias is used.
(identifier) @name
(type_identifier) @name
(namespace_identifier) @name
