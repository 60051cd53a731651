const api = {
  get() {
    return this.parse();
  },
  parse() {
    return 1;
  },
};

function first() {}
function second() {}
const handlers = { a: first, b: second };

export function run(key) {
  api.get();
  handlers[key]();
}
