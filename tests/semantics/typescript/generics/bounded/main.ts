import { Box, Circle, Shape } from "./shapes";

export function measure<T extends Shape>(s: T): number {
  s.describe();
  return s.area();
}

export function make<T>(): Box<T> {
  return new Box<T>(undefined as T);
}

export function run() {
  const box = make<Circle>();
  box.get();
  measure<Circle>(new Circle());
}
