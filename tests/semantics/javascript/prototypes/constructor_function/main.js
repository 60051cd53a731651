function Queue() {
  this.items = [];
}

Queue.prototype.push = function (item) {
  this.items.push(item);
  this.changed();
};

Queue.prototype.changed = function () {};

function main() {
  var q = new Queue();
  q.push(1);
}

module.exports = main;
