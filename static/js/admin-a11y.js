/* Accessible names for the admin controls that scripts build (WCAG 1.3.1, 4.1.2).
 *
 * Loaded on the newsroom's change forms (templates/admin/articles/change_form.html):
 * - the rich-text editor's editable area takes the name of its field's label;
 * - the autocomplete's search box takes the name of its field's label, and its
 *   mouse-only "clear all" cross is hidden from assistive technology (each chosen
 *   item keeps its own remove control, and Backspace removes the last one);
 * - the date and time boxes of a date-time field are named "<field>: Date" and
 *   "<field>: Time" (Django writes those words as bare text beside them);
 * - a single-choice autocomplete (a lead image) is named after its label, and a
 *   tabular inline's empty first header cell (Downloads) says what its column holds.
 * The editor and the autocomplete replace their elements as they are used, so the
 * names are applied again whenever the page changes.
 */
(function () {
  "use strict";

  function labelText(label) {
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function labelFor(id) {
    return labelText(document.querySelector('label[for="' + id + '"]'));
  }

  function nameEditors() {
    document.querySelectorAll(".prose-editor").forEach(function (wrapper) {
      var source = wrapper.querySelector("textarea[id]");
      var editable = wrapper.querySelector("[contenteditable]");
      if (source && editable && !editable.hasAttribute("aria-label")) {
        editable.setAttribute("aria-label", labelFor(source.id));
      }
    });
  }

  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete[id]").forEach(function (select) {
      var container = select.nextElementSibling;
      if (!container || !container.classList.contains("select2")) {
        return;
      }
      var name = labelFor(select.id);
      container.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (box) {
        box.setAttribute("aria-label", name);
      });
      container.querySelectorAll(".select2-selection__clear").forEach(function (cross) {
        cross.setAttribute("aria-hidden", "true");
      });
      // A single choice (a lead image, an event): the combobox and the box showing the
      // chosen item take the field's name too.
      container.querySelectorAll(
        ".select2-selection--single:not([aria-label]), .select2-selection__rendered[role=textbox]:not([aria-label])"
      ).forEach(function (box) {
        box.setAttribute("aria-label", name);
      });
    });
  }

  // A tabular inline's first column (the saved row's name) has an empty header cell.
  function nameInlineHeaders() {
    document.querySelectorAll(".tabular thead th.original:empty").forEach(function (cell) {
      var text = document.createElement("span");
      text.className = "visually-hidden";
      text.textContent = "Saved row";
      cell.appendChild(text);
    });
  }

  function nameDateTimeParts() {
    document.querySelectorAll("p.datetime").forEach(function (group) {
      var row = group.closest(".flex-container");
      var field = labelText(row ? row.querySelector("label") : null);
      group.querySelectorAll("input:not([aria-label])").forEach(function (input) {
        var before = input.previousSibling;
        var part = before && before.nodeType === Node.TEXT_NODE ? labelText(before) : "";
        if (field || part) {
          input.setAttribute("aria-label", [field, part].filter(Boolean).join(": "));
        }
      });
    });
  }

  function repair() {
    nameEditors();
    nameAutocompletes();
    nameDateTimeParts();
    nameInlineHeaders();
  }

  new MutationObserver(repair).observe(document.documentElement, { childList: true, subtree: true });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", repair);
  } else {
    repair();
  }
})();
