/* Progressive enhancement of the request form; everything works without it.
   - The error summary takes the focus, and its links focus their field.
   - Only the fields of the chosen right (and residence, where they depend on it), and the
     agent's fields when acting for someone, show; an opt-out needs none of the rest. */
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
      var chosen = form.querySelector("input[name='right']:checked");
      var optOut = !!(chosen && chosen.hasAttribute("data-opt-out"));
      var residenceField = form.querySelector("select[name='residence']");
      var residence = residenceField ? residenceField.value : "";
      form.querySelectorAll("[data-right]").forEach(function (group) {
        var where = group.getAttribute("data-residence");
        group.hidden = group.getAttribute("data-right") !== right ||
          (where !== null && where !== residence);
      });
      form.querySelectorAll("[data-unless-opt-out]").forEach(function (group) {
        group.hidden = optOut;
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
