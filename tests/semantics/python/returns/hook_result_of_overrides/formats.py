from base import Exporter


class CsvWriter:
    def write(self, row):
        return ",".join(row)

    def close(self):
        return "csv"


class JsonWriter:
    def write(self, row):
        return str(row)

    def close(self):
        return "json"


class CsvExporter(Exporter):
    def writer(self):
        return CsvWriter()


class JsonExporter(Exporter):
    def writer(self):
        return JsonWriter()


CsvExporter().export([["a"]])
JsonExporter().export([["b"]])
