/* The dataset page, progressive enhancement only: everything works without this file.
   - a "copy" button under each API snippet;
   - choosing another table in the preview submits its form at once. */
(function () {
  "use strict";
  document.querySelectorAll("pre.ds-code").forEach(function (pre) {
    if (!navigator.clipboard) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "ds-copy";
    button.textContent = document.documentElement.lang === "de" ? "Kopieren"
      : document.documentElement.lang === "fr" ? "Copier"
      : document.documentElement.lang === "it" ? "Copia" : "Copy";
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(pre.textContent).then(function () {
        button.textContent = "✓";
      });
    });
    pre.insertAdjacentElement("afterend", button);
  });
  var select = document.getElementById("ds-resource");
  if (select && select.form) {
    select.addEventListener("change", function () { select.form.submit(); });
  }
})();
