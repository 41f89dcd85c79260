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
