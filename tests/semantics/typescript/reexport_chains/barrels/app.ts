import { parseText, Parser } from "./lib";

export function go() {
  parseText("x");
  new Parser().run();
}
