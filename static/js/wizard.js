/* The request wizard: progressive enhancement only. Everything works without it
   (server round trips); with it the service lists follow the unit instantly, the
   facets of a newly chosen service load in place, the officer's position shows,
   the Jalali date picker opens, large photos are scaled down before upload and
   the tracking code can be copied. The file pickers and the focus on an error
   summary are every page's (portal.js). */
(function () {
  "use strict";

  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹", ARABIC = "٠١٢٣٤٥٦٧٨٩";
  function asciiDigits(text) {
    return String(text || "").replace(/[۰-۹٠-٩]/g, function (ch) {
      var i = PERSIAN.indexOf(ch);
      return String(i >= 0 ? i : ARABIC.indexOf(ch));
    }).replace(/[\s\-\u200e\u200f]/g, "");
  }
  function readJson(id) {
    var node = document.getElementById(id);
    if (!node) return null;
    try { return JSON.parse(node.textContent); } catch (e) { return null; }
  }

  // Unit -> service -> service ID.
  function setupServiceChoice() {
    var services = readJson("intake-services");
    var form = document.querySelector("form.stack-form");
    if (!services || !form) return;
    var unit = form.querySelector("select[name=unit]");
    var service = form.querySelector("select[name=service]");
    var code = form.querySelector("input[name=service_id]");
    if (!unit || !service || !code) return;
    var facetsUrl = form.getAttribute("data-facets-url");
    var slot = document.getElementById("facets-slot");

    function fillServices(selected) {
      var placeholder = service.options.length ? service.options[0].text : "نوع خدمت را انتخاب کنید";
      service.innerHTML = "";
      service.appendChild(new Option(placeholder, ""));
      services.forEach(function (s) {
        if (s.unit === unit.value) {
          var option = new Option(s.title, s.id);
          if (s.id === selected) option.selected = true;
          service.appendChild(option);
        }
      });
    }
    function loadFacets(id) {
      if (!facetsUrl || !slot) return;
      if (!id) { slot.innerHTML = ""; return; }
      fetch(facetsUrl + id + "/", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) { slot.innerHTML = html; })
        .catch(function () {});
    }
    unit.addEventListener("change", function () {
      fillServices("");
      code.value = "";
      loadFacets("");
    });
    service.addEventListener("change", function () {
      code.value = service.value;
      loadFacets(service.value);
    });
    code.addEventListener("change", function () {
      var id = asciiDigits(code.value);
      var match = services.filter(function (s) { return s.id === id; })[0];
      if (match) {
        code.value = id;
        unit.value = match.unit;
        fillServices(id);
        loadFacets(id);
      }
    });
  }

  // Step 5: the chosen officer's position.
  function setupOfficer() {
    var positions = readJson("intake-officers");
    var select = document.querySelector("select[name=officer]");
    var output = document.getElementById("officer-position");
    if (!positions || !select || !output) return;
    function show() { output.textContent = positions[select.value] || ""; }
    select.addEventListener("change", show);
    show();
  }

  // Step 5: the self-hosted Jalali date picker.
  function setupDatePicker() {
    if (window.jalaliDatepicker && document.querySelector("[data-jdp]")) {
      var picker = window.jalaliDatepicker;
      picker.startWatch({ persianDigits: true, autoHide: true, hideAfterChange: true, date: true, time: false });
      // Keyboard users: Escape or leaving the field with Tab closes the calendar,
      // and so does moving the focus anywhere else. The picker finishes opening
      // 300 ms after it starts (a timer that shows it again), so close twice.
      var close = function () {
        picker.hide();
        setTimeout(function () { picker.hide(); }, 350);
      };
      document.addEventListener("keydown", function (event) {
        if (event.key === "Escape" || event.key === "Tab") close();
      });
      document.addEventListener("focusin", function (event) {
        var target = event.target;
        if (!target.hasAttribute("data-jdp") && !(target.closest && target.closest("jdp-container"))) close();
      });
    }
  }

  // Step 3: scale a photo larger than the limit down before upload.
  function shrinkImage(file, maxBytes) {
    return new Promise(function (resolve) {
      if (!/^image\/(jpeg|png)$/.test(file.type) || file.size <= maxBytes || !window.createImageBitmap) {
        resolve(file);
        return;
      }
      createImageBitmap(file).then(function (bitmap) {
        var scale = Math.min(1, Math.sqrt(maxBytes / file.size) * 1.6);
        var quality = 0.85;
        function attempt() {
          var canvas = document.createElement("canvas");
          canvas.width = Math.max(1, Math.round(bitmap.width * scale));
          canvas.height = Math.max(1, Math.round(bitmap.height * scale));
          var ctx = canvas.getContext("2d");
          ctx.fillStyle = "#fff";
          ctx.fillRect(0, 0, canvas.width, canvas.height);
          ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
          canvas.toBlob(function (blob) {
            if (blob && blob.size <= maxBytes) {
              var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
              resolve(new File([blob], name, { type: "image/jpeg" }));
            } else if (scale < 0.05) {
              resolve(file);
            } else {
              if (quality > 0.55) { quality -= 0.1; } else { scale *= 0.8; }
              attempt();
            }
          }, "image/jpeg", quality);
        }
        attempt();
      }).catch(function () { resolve(file); });
    });
  }
  function setupUploads() {
    var inputs = document.querySelectorAll("input[type=file][data-max-bytes]");
    Array.prototype.forEach.call(inputs, function (input) {
      var maxBytes = parseInt(input.getAttribute("data-max-bytes"), 10);
      input.addEventListener("change", function () {
        var file = input.files && input.files[0];
        if (!file || file.size <= maxBytes || !window.DataTransfer) return;
        input.setAttribute("aria-busy", "true");
        shrinkImage(file, maxBytes).then(function (smaller) {
          if (smaller !== file) {
            var transfer = new DataTransfer();
            transfer.items.add(smaller);
            input.files = transfer.files;
            input.setAttribute("data-resized", "true");
            input.dispatchEvent(new Event("change", { bubbles: true }));  // the name shown follows
          }
          input.removeAttribute("aria-busy");
        });
      });
    });
  }

  // A long option (a unit's or a service's name) does not fit a phone's select:
  // its full text is shown under the select while it is cut.
  function setupSelectEchoes() {
    var canvas = document.createElement("canvas");
    var ctx = canvas.getContext && canvas.getContext("2d");
    if (!ctx) return;
    var selects = document.querySelectorAll("form.stack-form select");
    Array.prototype.forEach.call(selects, function (select) {
      var echo = document.createElement("p");
      echo.className = "select-echo";
      echo.setAttribute("aria-hidden", "true");  // the select itself says the whole option
      echo.hidden = true;
      select.insertAdjacentElement("afterend", echo);
      function update() {
        var option = select.options[select.selectedIndex];
        var text = option && option.value ? option.text : "";
        var style = getComputedStyle(select);
        ctx.font = style.fontWeight + " " + style.fontSize + " " + style.fontFamily;
        var room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 8;
        echo.textContent = text;
        echo.hidden = !text || ctx.measureText(text).width <= room;
      }
      // Any change in the form (the unit fills the service list, a typed service ID
      // picks both) bubbles up here after the field's own handlers.
      select.form.addEventListener("change", update);
      window.addEventListener("resize", update);
      update();
    });
  }

  // Receipt: copy the code.
  function setupReceipt() {
    var copy = document.querySelector("[data-copy]");
    var status = document.getElementById("copy-status");
    if (copy) {
      copy.addEventListener("click", function () {
        var done = function () { if (status) status.textContent = copy.getAttribute("data-copied"); };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(copy.getAttribute("data-copy")).then(done, done);
        } else {
          done();
        }
      });
    }
    // [data-print] is handled by portal.js on every page.
  }

  // Refresh keeps what was typed but not yet sent: the values wait in this tab's
  // sessionStorage (gone when the tab closes) and are cleared when the form is sent,
  // after which the server's draft holds them.
  function setupAutosave() {
    var form = document.querySelector(".wizard-step form");
    if (!form || !window.sessionStorage) return;
    var prefix = "intake:" + location.pathname + ":";
    var skip = { unit: 1, service: 1, service_id: 1, csrfmiddlewaretoken: 1 };
    var fields = form.querySelectorAll("input[type=text], input[type=email], textarea, select");
    Array.prototype.forEach.call(fields, function (field) {
      if (!field.name || field.readOnly || skip[field.name]) return;
      var key = prefix + field.name;
      var saved = sessionStorage.getItem(key);
      if (saved !== null && saved !== field.value) {
        field.value = saved;
        field.dispatchEvent(new Event("change"));
      }
      var save = function () { sessionStorage.setItem(key, field.value); };
      field.addEventListener("input", save);
      field.addEventListener("change", save);
    });
    form.addEventListener("submit", function () {
      Object.keys(sessionStorage).forEach(function (key) {
        if (key.indexOf(prefix) === 0) sessionStorage.removeItem(key);
      });
    });
  }

  function start() {
    setupServiceChoice();
    setupOfficer();
    setupDatePicker();
    setupUploads();
    setupSelectEchoes();
    setupReceipt();
    setupAutosave();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
