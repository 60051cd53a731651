import { Emitter } from "./emitter";

export class Query extends Emitter {
  constructor() {
    super("query");
  }
  emit(event: string): void {
    if (this.hasListeners()) {
      super.emit(event);
    }
  }
}

export class Mutation extends Query {
  run() {
    this.emit("run");
    this.hasListeners();
  }
}
