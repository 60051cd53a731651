import { Cache, Document, QueryClient } from "./client";

export class Observer {
  #client: QueryClient;
  cache: Cache;

  constructor(client: QueryClient, private readonly doc: Document) {
    this.#client = client;
    this.cache = new Cache();
  }

  setOptions() {
    this.#client.defaultOptions();
    this.doc.write("x");
    this.cache.clear();
    const { cache } = this;
    cache.clear();
  }
}

export function print(doc: Document) {
  doc.write("y");
}
