export namespace Geometry {
  export function area(r: number): number {
    return square(r) * 3;
  }
  function square(x: number): number {
    return x * x;
  }
}
