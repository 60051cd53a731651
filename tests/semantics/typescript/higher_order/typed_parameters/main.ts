export class Shape {
  area(): number { return 0; }
}
export class Square extends Shape {
  area(): number { return 4; }
}

function measure(s: Shape, format: (n: number) => string) {
  return format(s.area());
}

function fixed(n: number): string {
  return String(n);
}

export function run() {
  measure(new Square(), fixed);
}
