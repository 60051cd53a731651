export abstract class Class {
  constructor() {}
}

export function format(x: string): string {
  return x;
}

export function build(Class: new () => object) {
  return new Class();
}

export function local(items: string[]) {
  const format = (s: string) => s.trim();
  return items.map((i) => format(i));
}

export function blocks() {
  {
    const format = (s: string) => s;
    format("inner");
  }
  format("outer");
  try {
    format("x");
  } catch (format) {
    console.log(format);
  }
}
