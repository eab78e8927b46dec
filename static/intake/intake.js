/* Progressive enhancement of the request form; everything works without it.
   - The error summary takes the focus, and its links focus their field.
   - Only the fields of the chosen right, and the agent's fields when acting for someone, show. */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }
  ready(function () {
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
      summary.addEventListener("click", function (event) {
        var link = event.target.closest("a[href^='#']");
        if (!link) { return; }
        var field = document.getElementById(link.getAttribute("href").slice(1));
        if (!field) { return; }
        event.preventDefault();
        var label = document.querySelector("label[for='" + field.id + "']");
        (label || field).scrollIntoView();
        field.focus({ preventScroll: true });
      });
    }
    var form = document.getElementById("request-form");
    if (!form) { return; }
    function checked(name) {
      var input = form.querySelector("input[name='" + name + "']:checked");
      return input ? input.value : "";
    }
    function update() {
      var right = checked("right");
      form.querySelectorAll("[data-right]").forEach(function (group) {
        group.hidden = group.getAttribute("data-right") !== right;
      });
      var agent = checked("acting_for") === "agent";
      form.querySelectorAll("[data-when-agent]").forEach(function (group) {
        group.hidden = !agent;
      });
    }
    form.addEventListener("change", update);
    update();
  });
})();
