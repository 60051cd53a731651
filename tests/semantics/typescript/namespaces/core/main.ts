import * as core from "./core";
import { Geometry } from "./geometry";

export function report(e: unknown) {
  core.formatError(e);
  Geometry.area(2);
}
