function outer() {
  function helper() {
    return 1;
  }
  const arrow = () => helper();
  return arrow();
}

function counter() {
  var inc = function () {
    return 1;
  };
  return inc();
}

module.exports = { outer, counter };
