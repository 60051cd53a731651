export function any(): unknown {
  return undefined;
}
export class Company {
  name = "";
}
export function toZod<T>(): () => T {
  return () => undefined as T;
}
export class Service {
  run(): void {}
}
