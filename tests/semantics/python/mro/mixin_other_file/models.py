from mixins import AuditMixin, TimestampMixin


class Record:
    def save(self):
        return "saved"

    def stamp(self):
        return "stamped"


class Invoice(TimestampMixin, AuditMixin, Record):
    def describe(self):
        return "invoice"


Invoice().save()
Invoice().log_change()
