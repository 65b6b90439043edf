// Terms pages: show only the conditions that matter for the chosen answer. Without JavaScript every
// section stays visible and the form works the same.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("fieldset[data-use]").forEach((fieldset) => {
    const radios = fieldset.querySelectorAll('.choices input[type="radio"]');
    const boxes = fieldset.querySelectorAll("[data-show-when]");
    const update = () => {
      const chosen = fieldset.querySelector('.choices input[type="radio"]:checked');
      const value = chosen ? chosen.value : "";
      boxes.forEach((box) => {
        box.hidden = !box.dataset.showWhen.split(" ").includes(value);
      });
    };
    radios.forEach((radio) => radio.addEventListener("change", update));
    update();
  });
  // Revocation: the list of uses only matters when revoking some of them.
  const scope = document.querySelectorAll('#revoke-form input[name="scope"]');
  const uses = document.getElementById("id_uses");
  if (scope.length && uses) {
    const box = uses.closest("fieldset") || uses;
    const update = () => {
      const chosen = document.querySelector('#revoke-form input[name="scope"]:checked');
      box.hidden = !chosen || chosen.value !== "some";
    };
    scope.forEach((radio) => radio.addEventListener("change", update));
    update();
  }
});
