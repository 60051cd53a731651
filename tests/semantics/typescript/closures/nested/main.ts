export function outer() {
  function helper() {
    return 1;
  }
  const arrow = () => helper();
  return arrow();
}

export function counter() {
  const inc = () => 1;
  return () => inc();
}

export function use() {
  counter()();
}
