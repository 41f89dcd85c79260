/* Autocomplete for search boxes: <input data-autocomplete-url="..."> gets a listbox of
   at most ten suggestions (JSON from the search app). Keyboard: ↓/↑ move, Enter opens,
   Escape closes. Without JavaScript the box is a plain search form. */
(function () {
  "use strict";

  function setup(input) {
    var url = input.getAttribute("data-autocomplete-url");
    var kind = input.getAttribute("data-autocomplete-kind") || "";
    var list = document.createElement("ul");
    var listId = input.id + "-suggestions";
    var timer = null;
    var lastQuery = "";
    var active = -1;
    var controller = null;

    list.id = listId;
    list.className = "autocomplete";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "پیشنهادها");
    list.hidden = true;
    input.insertAdjacentElement("afterend", list);
    // portal.css belongs to the layout; the few rules the list needs travel with it.
    input.parentNode.style.position = "relative";
    Object.assign(list.style, {
      position: "absolute", insetInlineStart: "0", insetInlineEnd: "0", top: "100%", zIndex: "20",
      margin: "0", padding: "0", listStyle: "none", background: "#fff", color: "#1a1a1a",
      border: "1px solid #ccc", borderRadius: "0 0 .5rem .5rem", boxShadow: "0 4px 12px rgba(0,0,0,.15)",
    });
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = options();
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
        item.style.background = i === active ? "#e8f2ef" : "";
      });
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function render(suggestions) {
      list.innerHTML = "";
      active = -1;
      if (!suggestions.length) {
        close();
        return;
      }
      suggestions.forEach(function (suggestion, i) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.style.padding = ".5rem .75rem";
        item.style.cursor = "pointer";
        link.href = suggestion.url;
        link.tabIndex = -1;
        link.textContent = suggestion.title;
        item.appendChild(link);
        if (suggestion.service_id) {
          var detail = document.createElement("span");
          detail.className = "autocomplete__detail";
          detail.style.display = "block";
          detail.style.fontSize = ".85rem";
          detail.style.color = "#555";
          detail.textContent = suggestion.unit || "";
          item.appendChild(detail);
        }
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box until we navigate
          window.location.href = suggestion.url;
        });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (!query) {
        close();
        return;
      }
      if (controller) controller.abort();
      controller = new AbortController();
      var params = new URLSearchParams({ query: query });
      if (kind) params.set("kind", kind);
      fetch(url + "?" + params.toString(), {
        headers: { Accept: "application/json" },
        signal: controller.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) render(data.suggestions || []);
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(active + 1);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = options()[active].querySelector("a").href;
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });
  }

  document.querySelectorAll("input[data-autocomplete-url]").forEach(setup);
})();
