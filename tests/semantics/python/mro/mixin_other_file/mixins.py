class TimestampMixin:
    def save(self):
        self.stamp()
        return super().save()


class AuditMixin:
    def log_change(self):
        return self.describe()
