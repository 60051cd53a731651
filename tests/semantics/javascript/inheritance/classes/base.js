export class Base {
  constructor(name) {
    this.name = name;
  }
  greet() {
    return this.name;
  }
}
