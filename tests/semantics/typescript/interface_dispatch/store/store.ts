export interface Item { id: number }
export interface Store {
  get(id: number): Item;
}
export class MemoryStore implements Store {
  get(id: number): Item { return { id }; }
}
export class HttpStore implements Store {
  get(id: number): Item { return { id }; }
}
