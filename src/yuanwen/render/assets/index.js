// yuanwen's audit index: sort by any column, filter by words, status and severity; no network.
(function () {
  "use strict";
  var table = document.getElementById("documents");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var filter = document.getElementById("filter");
  var status = document.getElementById("status");
  var serious = document.getElementById("findings");
  var shown = document.getElementById("shown");

  function cell(row, index) { return row.cells[index].textContent; }

  function apply() {
    var words = filter.value.trim().toLowerCase();
    var wanted = status.value;
    var count = 0;
    rows.forEach(function (row) {
      var visible = (!words || row.textContent.toLowerCase().indexOf(words) >= 0)
        && (!wanted || row.getAttribute("data-status") === wanted)
        && (!serious.checked || Number(cell(row, 3)) + Number(cell(row, 4)) > 0);
      row.hidden = !visible;
      if (visible) { count += 1; }
    });
    shown.textContent = "显示 " + count + " 份，共 " + rows.length + " 份";
  }

  function sortBy(header) {
    var index = header.cellIndex;
    var numeric = header.getAttribute("data-sort") === "number";
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) { th.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = cell(a, index), y = cell(b, index);
      var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-CN");
      return ascending ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }

  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener("click", function () { sortBy(th); });
  });
  [filter, status, serious].forEach(function (input) { input.addEventListener("input", apply); });
  apply();
})();
