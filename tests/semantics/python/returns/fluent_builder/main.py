class Query:
    def where(self, cond):
        return self

    def limit(self, n):
        return self

    def run(self):
        return []


Query().where("x > 1").limit(10).run()
