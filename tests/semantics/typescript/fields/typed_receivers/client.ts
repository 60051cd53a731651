export class QueryClient {
  defaultOptions(): object { return {}; }
  mount(): void {}
}
export class Document {
  write(text: string): void {}
}
export class Cache {
  clear(): void {}
}
