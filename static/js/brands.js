// Brand and licensing pages: progressive enhancements only (every form works without JavaScript).
document.addEventListener("DOMContentLoaded", () => {
  // Verify page: load a chosen certificate.json file into the textarea (read locally, nothing is uploaded).
  document.querySelectorAll("input[type=file][data-fill-textarea]").forEach((input) => {
    input.addEventListener("change", () => {
      const target = document.getElementById(input.dataset.fillTextarea);
      const file = input.files && input.files[0];
      if (!target || !file) return;
      file.text().then((text) => {
        target.value = text;
      });
    });
  });
});
