// Staff case queue: "select all" for bulk assignment (works after htmx swaps the table too).
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.id !== "select-all") return;
  document.querySelectorAll("#queue-table input[name=cases]").forEach((el) => {
    el.checked = box.checked;
  });
});
