from base import Backend


class ModelBackend(Backend):
    def permissions(self, user):
        return {"view"}
