// The report page around the HTML report's frame: the findings panel, j/k/Enter anywhere on the page,
// severity badges that filter, printing the whole report, and a waiting page that updates itself.
(function () {
  "use strict";
  var head = document.querySelector(".report-head");
  if (!head) { return; }

  // A check still queued or running: ask for its state every second, and show the report once it is done.
  if (head.dataset.status === "queued") {
    var state = document.getElementById("state");
    var poll = function () {
      fetch("/api/checks/" + encodeURIComponent(head.dataset.check), { headers: { accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (found) {
          if (found.status !== "queued") { window.location.reload(); return; }
          state.textContent = found.position ? "排队中（第 " + found.position + " 位）" : "核对中……";
          setTimeout(poll, 1000);
        })
        .catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
    return;
  }

  var frame = document.getElementById("report-frame");
  if (!frame) { return; }
  var panel = document.getElementById("panel");
  function inside() { return frame.contentDocument; }

  function press(key) {
    var page = inside();
    if (page) { page.dispatchEvent(new KeyboardEvent("keydown", { key: key, bubbles: true })); }
  }

  function follow() {
    // The panel marks the entry the report has in view.
    var page = inside();
    var focused = page && page.body && page.body.dataset.focused;
    if (!panel) { return; }
    panel.querySelectorAll("li.entry").forEach(function (li) {
      var link = li.querySelector("a[data-f]");
      li.classList.toggle("current", Boolean(link) && link.dataset.f === focused);
    });
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) { return; }
    if (/^(INPUT|TEXTAREA|SELECT|BUTTON|A|SUMMARY)$/.test(event.target.tagName)) { return; }
    if (event.key === "j" || event.key === "k" || event.key === "Enter") {
      event.preventDefault();
      press(event.key);
      follow();
    }
  });

  if (panel) {
    panel.addEventListener("click", function (event) {
      var link = event.target.closest("a.go");
      if (!link) { return; }
      event.preventDefault();
      var target = link.dataset.f && inside() && inside().querySelector('#findings a[data-f="' + link.dataset.f + '"]');
      if (target) { target.click(); }
      link.blur();
      follow();
    });
  }

  document.querySelectorAll("#summary button[data-sev]").forEach(function (badge) {
    badge.addEventListener("click", function () {
      var box = inside() && inside().querySelector('input[data-sev="' + badge.dataset.sev + '"]');
      if (!box) { return; }
      box.click();
      badge.setAttribute("aria-pressed", String(box.checked));
      if (panel) { panel.classList.toggle("hide-" + badge.dataset.sev, !box.checked); }
    });
  });

  var print = document.getElementById("print");
  if (print) { print.addEventListener("click", function () { frame.contentWindow.print(); }); }

  frame.addEventListener("load", function () {
    var page = inside();
    if (page && page.body) {
      new MutationObserver(follow).observe(page.body, { attributes: true, attributeFilter: ["data-focused"] });
    }
  });
}());
