// Filters the index as you type: a connector stays when every word is in its name,
// description or publisher, or in one of its operations (those operations are listed under
// it). Runs on the page itself; reads nothing from anywhere.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("connectors");
  if (!input || !list) { return; }
  var count = document.getElementById("count");
  var rows = [];
  Array.prototype.forEach.call(list.children, function (li) {
    var ops = li.querySelector(".ops");
    rows.push({
      li: li,
      text: li.getAttribute("data-s") || "",
      list: ops,
      ops: ops ? Array.prototype.slice.call(ops.children).map(function (o) {
        return { li: o, text: o.getAttribute("data-s") || "" };
      }) : []
    });
  });
  var MAX_OPS = 10;
  function hasAll(text, words) {
    for (var i = 0; i < words.length; i++) {
      if (text.indexOf(words[i]) < 0) { return false; }
    }
    return true;
  }
  function update() {
    var words = input.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
    var shown = 0;
    rows.forEach(function (r) {
      var matched = 0;
      r.ops.forEach(function (o) {
        var m = words.length > 0 && matched < MAX_OPS && hasAll(o.text, words);
        o.li.hidden = !m;
        if (m) { matched++; }
      });
      if (r.list) { r.list.hidden = matched === 0; }
      var visible = words.length === 0 || matched > 0 || hasAll(r.text, words);
      r.li.hidden = !visible;
      if (visible) { shown++; }
    });
    count.textContent = words.length === 0
      ? rows.length + " connectors"
      : shown + " of " + rows.length + " connectors";
  }
  input.addEventListener("input", update);
  update();
})();
