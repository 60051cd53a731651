import type { Store } from "./store";
import { MemoryStore } from "./store";

export class Service {
  constructor(private store: Store) {}
  load(id: number) {
    return this.store.get(id);
  }
}

export function direct(s: Store) {
  return s.get(1);
}

export function concrete() {
  const m = new MemoryStore();
  return m.get(2);
}
