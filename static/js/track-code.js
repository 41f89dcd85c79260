// The receipt's QR opens /track/#code=<tracking code>: the code stays after «#», which
// the browser never sends to the server; here it fills the lookup form's field, and
// the address drops it again (intake.pdf.tracking_qr).
(function () {
  "use strict";
  var match = /^#code=([0-9۰-۹]{1,64})$/.exec(window.location.hash);
  if (!match) return;
  var field = document.querySelector('form input[name="code"]');
  if (field && !field.value) {
    field.value = match[1];
    field.focus();
  }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
