// Names for the controls the admin's own scripts build without one (WCAG 4.1.2), on every staff
// page. Django's scripts add them after the page is parsed (the selector boxes of a
// filter_horizontal on load, the autocomplete's select2 box when jQuery is ready) and again when
// an inline row is added, so an observer fixes each one as it appears.
(function () {
  "use strict";

  // SelectFilter2's search icon is a <span> with an aria-label, which a span without a role may
  // not carry; it is the only content of the label of the filter's text box, so as an image it
  // names that box.
  function nameFilterIcons(root) {
    root.querySelectorAll(".search-label-icon[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // select2's combobox is labelled by the text of its current choice, empty until one is made:
  // label it by the field's own <label> too.
  function nameAutocompletes(root) {
    root.querySelectorAll(".select2-selection[role=combobox]").forEach(function (box) {
      var container = box.closest(".select2-container");
      var select = container && container.previousElementSibling;
      if (!select || select.tagName !== "SELECT" || !select.id) {
        return;
      }
      var label = document.querySelector('label[for="' + select.id + '"]');
      if (!label) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "_label";
      }
      var ids = (box.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean);
      if (ids.indexOf(label.id) === -1) {
        box.setAttribute("aria-labelledby", [label.id].concat(ids).join(" "));
      }
    });
  }

  // select2 4.0 gives the text of the current choice the role of a text box, which then needs a
  // name of its own; it is only the combobox's content (select2 4.1 dropped the role).
  function unroleRenderedChoices(root) {
    root.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (text) {
      text.removeAttribute("role");
      text.removeAttribute("aria-readonly");
    });
  }

  function fix(root) {
    nameFilterIcons(root);
    nameAutocompletes(root);
    unroleRenderedChoices(root);
  }

  new MutationObserver(function (mutations) {
    mutations.forEach(function (mutation) {
      mutation.addedNodes.forEach(function (node) {
        if (node.nodeType === Node.ELEMENT_NODE) {
          fix(node.parentNode || node);
        }
      });
    });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () {
    fix(document);
  });
})();
