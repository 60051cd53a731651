class Backend:
    def permissions(self, user):
        raise NotImplementedError("subclasses define this")

    def has_perm(self, user, perm):
        return perm in self.permissions(user)
