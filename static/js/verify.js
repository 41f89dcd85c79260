// The verification page (/verify/<id>/): the Persian «انتخاب فایل» button over the
// native file input, and the chosen file's name (as the wizard does, js/wizard.js).
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function start() {
    var pickers = document.querySelectorAll(".file-picker");
    Array.prototype.forEach.call(pickers, function (picker) {
      var input = picker.querySelector("input[type=file]");
      var name = picker.querySelector(".file-picker__name");
      if (!input || !name) return;
      var empty = name.textContent;
      function show() {
        var file = input.files && input.files[0];
        name.textContent = "";
        if (!file) { name.textContent = empty; return; }
        var bdi = document.createElement("bdi");
        bdi.textContent = file.name;
        name.appendChild(document.createTextNode("فایل انتخاب‌شده: "));
        name.appendChild(bdi);
      }
      input.addEventListener("change", show);
      show();
    });
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
