function helper() {}
function other() {}
function apply(fn, x) { return fn(x); }
function run() {
  apply(helper, 1);
  apply(other);
  const local = () => 1;
  apply(local);
}
