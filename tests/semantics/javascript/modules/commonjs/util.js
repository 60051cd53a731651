exports.slug = function (s) { return s; };
function helper() {}
module.exports.helper = helper;
