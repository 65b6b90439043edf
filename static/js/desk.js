// The case desk at volume: keyboard shortcuts on the queue (j/k move, Enter opens, a assigns to me) and on a
// case page (n focuses the note), "?" toggles the help; saved views take the filters of the address bar
// (htmx pushes them there). No inline scripts (CSP); every action has a plain-HTML way too.
(() => {
  "use strict";

  const typing = (el) =>
    el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(el.tagName));

  const rows = () => Array.from(document.querySelectorAll("#queue-table tbody tr[data-case]"));

  const selected = () => document.querySelector("#queue-table tbody tr.is-selected");

  function select(row) {
    rows().forEach((r) => {
      r.classList.remove("is-selected");
      r.removeAttribute("aria-current");
    });
    if (!row) return;
    row.classList.add("is-selected");
    row.setAttribute("aria-current", "true");
    row.scrollIntoView({ block: "nearest" });
    const link = row.querySelector("a.case-link");
    if (link) link.focus({ preventScroll: true });
  }

  function move(step) {
    const all = rows();
    if (!all.length) return;
    const current = all.indexOf(selected());
    let next = current === -1 ? (step > 0 ? 0 : all.length - 1) : current + step;
    next = Math.max(0, Math.min(all.length - 1, next));
    select(all[next]);
  }

  function open() {
    const row = selected();
    if (row && row.dataset.href) window.location.assign(row.dataset.href);
  }

  function assignToMe() {
    const row = selected();
    const form = document.getElementById("bulk-assign");
    if (!row || !form || !form.dataset.me) return;
    const select = form.querySelector("select[name=assignee]");
    if (!select || !Array.from(select.options).some((o) => o.value === form.dataset.me)) return;
    form.querySelectorAll("input[name=cases]").forEach((box) => {
      box.checked = box.value === row.dataset.case;
    });
    select.value = form.dataset.me;
    form.requestSubmit();
  }

  function focusNote() {
    const note = document.getElementById("note-body");
    if (!note) return false;
    note.scrollIntoView({ block: "center" });
    note.focus();
    return true;
  }

  function toggleHelp() {
    const help = document.getElementById("shortcuts-help");
    if (help) help.open = !help.open;
  }

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target) && !(event.key === "Enter" && event.target.matches("a.case-link"))) return;
    const onQueue = !!document.getElementById("queue-table");
    let handled = true;
    switch (event.key) {
      case "j":
        if (onQueue) move(1); else handled = false;
        break;
      case "k":
        if (onQueue) move(-1); else handled = false;
        break;
      case "Enter":
        if (onQueue && selected()) open(); else handled = false;
        break;
      case "a":
        if (onQueue && selected()) assignToMe(); else handled = false;
        break;
      case "n":
        handled = focusNote();
        break;
      case "?":
        toggleHelp();
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  });

  // A click on a row selects it (a click on its link or checkbox keeps doing what it does).
  document.addEventListener("click", (event) => {
    const row = event.target.closest && event.target.closest("#queue-table tbody tr[data-case]");
    if (row) select(row);
  });

  // Saved views: save the filters shown now (htmx swapped the table and pushed them to the address bar).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.id !== "save-view-form") return;
    const query = form.querySelector("input[name=query]");
    if (query) query.value = window.location.search.replace(/^\?/, "");
  });

  // Queue filters on a phone: folded into "Filters (n active)" (open on a desk, and without JavaScript).
  const fold = document.getElementById("queue-filters-fold");
  if (fold) {
    const desk = window.matchMedia("(min-width: 721px)");
    const hasErrors = () => !!fold.querySelector(".error-summary");
    const sync = () => { fold.open = desk.matches || hasErrors(); };
    sync();
    if (desk.addEventListener) desk.addEventListener("change", sync);
    const count = document.getElementById("filters-active");
    const recount = () => {
      if (!count) return;
      let active = 0;
      fold.querySelectorAll("[data-default]").forEach((el) => {
        const value = el.type === "checkbox" ? (el.checked ? "on" : "") : el.value;
        if (value !== el.dataset.default && (value !== "" || el.name === "status")) active += 1;
      });
      count.dataset.active = String(active);
      count.textContent = `(${active} active)`;
    };
    fold.addEventListener("change", recount);
  }
})();
