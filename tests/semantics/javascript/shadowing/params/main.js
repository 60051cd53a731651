function format(x) {
  return x;
}

function render(format, value) {
  return format(value);
}

function list(items) {
  let format = (s) => s;
  return items.map((i) => format(i));
}

function top() {
  return format("x");
}

export { render, list, top };
