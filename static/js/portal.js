// Every page: the "js" class (styles that need the script), a Persian «انتخاب فایل»
// button over each file input (.file-picker, templates/intake/_field.html) with the
// chosen file's name, and the focus on an error summary so screen readers announce it.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
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
})();

// The dashboard menu is a disclosure: served folded (a phone paints it folded, no
// layout shift; wide screens show the list through CSS even without JavaScript),
// opened here on wider screens so its state matches what is shown.
(function () {
  var menu = document.querySelector(".dashboard__toggle");
  if (!menu || !window.matchMedia) return;
  var wide = window.matchMedia("(min-width: 48rem)");
  function sync() { menu.open = wide.matches; }
  sync();
  if (wide.addEventListener) wide.addEventListener("change", sync);
})();

// Print buttons (data-print): no inline handlers, the Content Security Policy forbids them.
(function () {
  var buttons = document.querySelectorAll("[data-print]");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () { window.print(); });
  }
})();
