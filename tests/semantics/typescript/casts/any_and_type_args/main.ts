import { any, Company, Service, toZod } from "./z";

const checks = { regex: (s: string) => s };

export function validate(x: unknown) {
  (checks.regex as any)("a");
  toZod<Company>()();
  (x as Service).run();
  any();
}
