export abstract class Shape {
  abstract area(): number;
  describe(): string { return "shape"; }
}
export class Circle extends Shape {
  area(): number { return 3; }
}
export class Box<T> {
  constructor(private value: T) {}
  get(): T { return this.value; }
}
