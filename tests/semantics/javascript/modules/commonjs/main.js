const util = require('./util');
const { slug } = require('./util');
function run() {
  util.slug('a');
  slug('b');
  util.helper();
}
module.exports = run;
