// Small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  document.documentElement.classList.add("js");
  document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  // Print buttons (no inline handlers: the Content-Security-Policy forbids them).
  document.querySelectorAll("[data-print]").forEach((button) => {
    button.addEventListener("click", () => window.print());
  });
  document.querySelectorAll("[data-toggle-target]").forEach((button) => {
    const target = document.querySelector(button.dataset.toggleTarget);
    button.addEventListener("click", () => {
      const open = target.classList.toggle("show");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  });
});

// A wide table scrolls sideways inside its .table-responsive box (on a phone, most do): the box
// then takes keyboard focus, so the arrow keys can scroll it (WCAG 2.1.1), and is named after the
// table's caption or its section's heading. Checked again when the width or the content changes.
function scrollableTablesFocusable(root) {
  root.querySelectorAll(".table-responsive").forEach((box) => {
    if (box.scrollWidth <= box.clientWidth + 1) {
      if (box.dataset.madeFocusable) {
        ["tabindex", "role", "aria-label", "aria-labelledby"].forEach((name) => {
          if (box.dataset.madeFocusable.includes(name)) box.removeAttribute(name);
        });
        delete box.dataset.madeFocusable;
      }
      return;
    }
    if (box.hasAttribute("tabindex")) return;
    box.setAttribute("tabindex", "0");
    const added = ["tabindex"];
    if (!box.hasAttribute("role")) {
      const caption = box.querySelector("caption");
      const section = box.closest("[aria-labelledby]");
      if (caption && caption.textContent.trim()) {
        box.setAttribute("aria-label", caption.textContent.trim());
        added.push("role", "aria-label");
      } else if (section) {
        box.setAttribute("aria-labelledby", section.getAttribute("aria-labelledby"));
        added.push("role", "aria-labelledby");
      }
      // A group, not a region: the section around it is already the named landmark.
      if (added.length > 1) box.setAttribute("role", "group");
    }
    box.dataset.madeFocusable = added.join(" ");
  });
}
document.addEventListener("DOMContentLoaded", () => scrollableTablesFocusable(document));
document.addEventListener("htmx:afterSettle", () => scrollableTablesFocusable(document));
window.addEventListener("resize", () => scrollableTablesFocusable(document));

// Invalid forms answer 422 with the section re-rendered with its errors: let htmx swap it in
// (htmx 2 leaves 4xx responses unswapped by default) on every page.
document.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
