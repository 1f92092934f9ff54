// yuanwen's HTML report: the findings list worst first, next/previous entry (buttons, j/k, Enter opens a
// group), severity filters, density strip.
// Reads only the page's own elements and writes text with textContent: no user text becomes markup.
(function () {
  "use strict";
  var body = document.body;
  // Inside the web page's frame, the page's own panel lists the findings (with the editor's marks).
  if (window.self !== window.top) { body.classList.add("embedded"); }
  var pairs = [];  // finding number → [source mark, reprint mark]
  document.querySelectorAll(".f[data-f]").forEach(function (el) {
    var n = Number(el.dataset.f);
    (pairs[n] = pairs[n] || []).push(el);
  });
  var strip = document.getElementById("strip");
  var position = document.getElementById("position");
  var current = document.getElementById("current");
  var focused = -1;
  // The list's entries worst first; a group of the same change is one entry (its first finding's number).
  var entries = Array.prototype.slice.call(document.querySelectorAll("#findings li.entry"));
  function entryOf(n) {
    var link = document.querySelector('#findings [data-f="' + n + '"]');
    return link ? link.closest("li.entry") : null;
  }

  function severity(n) { return /sev-(\w+)/.exec(pairs[n][0].className)[1]; }
  function shown(n) { return !body.classList.contains("hide-" + severity(n)); }
  // The reprint's mark (a moved passage's new place): the one the list links to.
  function primary(n) { return document.getElementById("f" + n) || pairs[n][pairs[n].length - 1]; }
  function visibleNumbers() {
    var out = [];
    for (var n = 0; n < pairs.length; n++) { if (pairs[n] && shown(n)) { out.push(n); } }
    return out;
  }
  function visibleEntries() {
    return entries.filter(function (li) { return pairs[Number(li.dataset.f)] && shown(Number(li.dataset.f)); });
  }

  function mark(n, on) {
    if (n < 0 || !pairs[n]) { return; }
    pairs[n].forEach(function (el) { el.classList.toggle("current", on); });
    var tick = strip.querySelector('a[data-f="' + n + '"]');
    if (tick) { tick.classList.toggle("current", on); }
    var entry = entryOf(n);
    if (entry) { entry.classList.toggle("current", on); }
  }

  function go(n) {
    mark(focused, false);
    focused = n;
    mark(n, true);
    primary(n).scrollIntoView({ block: "center" });
    var visible = visibleEntries();
    position.textContent = "第 " + (visible.indexOf(entryOf(n)) + 1) + " / " + visible.length + " 项";
    current.textContent = primary(n).title;
    body.dataset.focused = String(n);
  }

  function step(direction) {
    var visible = visibleEntries();
    if (!visible.length) { position.textContent = "没有可显示的差异"; return; }
    var at = visible.indexOf(entryOf(focused));
    var next = at < 0 ? (direction > 0 ? 0 : visible.length - 1) : (at + direction + visible.length) % visible.length;
    go(Number(visible[next].dataset.f));
  }

  function open() {
    var entry = entryOf(focused);
    var folded = entry && entry.querySelector("details");
    if (folded) { folded.open = !folded.open; }
  }

  function drawStrip() {
    var height = document.documentElement.scrollHeight || 1;
    var ticks = document.createDocumentFragment();
    visibleNumbers().forEach(function (n) {
      var tick = document.createElement("a");
      tick.className = "sev-" + severity(n) + (n === focused ? " current" : "");
      tick.dataset.f = String(n);
      tick.title = primary(n).title;
      var top = primary(n).getBoundingClientRect().top + window.scrollY;
      tick.style.top = (100 * top / height).toFixed(3) + "%";
      ticks.appendChild(tick);
    });
    strip.replaceChildren(ticks);
  }

  document.getElementById("next").addEventListener("click", function () { step(1); });
  document.getElementById("prev").addEventListener("click", function () { step(-1); });
  strip.addEventListener("click", function (event) {
    var n = event.target.dataset && event.target.dataset.f;
    if (n !== undefined) { go(Number(n)); }
  });
  var list = document.getElementById("findings");
  if (list) {
    list.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-f]");
      // The link gives up focus, so that Enter then opens the entry rather than following the link again.
      if (link) { event.preventDefault(); link.blur(); go(Number(link.dataset.f)); }
    });
  }
  document.getElementById("report").addEventListener("click", function (event) {
    var el = event.target.closest(".f[data-f]");
    if (el && shown(Number(el.dataset.f))) { go(Number(el.dataset.f)); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || /^(TEXTAREA|SELECT)$/.test(event.target.tagName || "")) { return; }
    if (event.key === "j") { step(1); } else if (event.key === "k") { step(-1); }
    else if (event.key === "Enter" && focused >= 0 && (event.target === document.body || event.target === document)) {
      open();
    }
  });
  document.querySelectorAll(".summary input[data-sev]").forEach(function (box) {
    box.addEventListener("change", function () {
      body.classList.toggle("hide-" + box.dataset.sev, !box.checked);
      if (focused >= 0 && !shown(focused)) { mark(focused, false); focused = -1; }
      drawStrip();
    });
  });
  var pending = 0;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(drawStrip, 150);
  });
  drawStrip();
}());
