// Progressive enhancements only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.querySelector(".nav-toggle");
  const links = document.getElementById("nav-links");
  if (toggle && links) {
    toggle.addEventListener("click", () => {
      const open = links.classList.toggle("open");
      toggle.setAttribute("aria-expanded", String(open));
    });
  }
  // Buttons with data-confirm ask before submitting (no inline script: CSP forbids it).
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
  // Wide tables scroll sideways on a phone: the scrolling box must be reachable by keyboard (and named).
  const markScrollers = () => document.querySelectorAll(".table-wrap").forEach((wrap) => {
    if (wrap.scrollWidth > wrap.clientWidth + 1) {
      wrap.tabIndex = 0;
      wrap.setAttribute("role", "region");
      if (!wrap.hasAttribute("aria-label")) {
        const caption = wrap.querySelector("caption");
        wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table (scrolls sideways)");
      }
    }
  });
  const markTables = () => document.querySelectorAll("main table").forEach((table) => {
    if (!table.closest(".table-wrap") && table.scrollWidth > table.clientWidth + 1) table.tabIndex = 0;
  });
  markScrollers();
  markTables();
  window.addEventListener("resize", markTables);
  window.addEventListener("resize", markScrollers);
  document.body.addEventListener("htmx:afterSettle", markScrollers);
  // A form that came back with errors: move focus to its summary, which links to each field.
  const summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
  // Copy-to-clipboard buttons (API keys shown once, tracking links).
  document.querySelectorAll("[data-copy]").forEach((el) => {
    el.addEventListener("click", () => {
      const target = document.getElementById(el.dataset.copy);
      if (target && navigator.clipboard) navigator.clipboard.writeText(target.textContent.trim());
      el.textContent = "Copied";
    });
  });
});
document.addEventListener("htmx:configRequest", (event) => {
  const token = document.querySelector("meta[name=csrf-token]");
  if (token) event.detail.headers["X-CSRFToken"] = token.content;
});
