import { Base } from "./base.js";

export class Child extends Base {
  constructor() {
    super("child");
  }
  greet() {
    return super.greet() + this.shout();
  }
  shout() {
    return "!";
  }
}

export function main() {
  const c = new Child();
  c.greet();
}
