import { Derived, Own, Plain } from "./models";

export function build() {
  new Derived(1);
  new Plain();
  new Own();
}
