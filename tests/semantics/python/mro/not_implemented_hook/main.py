from impl import ModelBackend

ModelBackend().has_perm("ann", "view")
