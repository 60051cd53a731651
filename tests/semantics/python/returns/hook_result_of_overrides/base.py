class Exporter:
    def writer(self):
        raise NotImplementedError

    def export(self, rows):
        w = self.writer()
        for row in rows:
            w.write(row)
        return w.close()
