export class Base {
  constructor(public id: number) {}
}
export class Derived extends Base {}
export class Plain {}
export class Own {
  constructor() {}
}
