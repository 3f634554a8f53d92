/* The cite box of a report page: the reader's date and the page's address go into the
 * citations, and each format's 复制 button copies it. */
(function () {
  "use strict";

  function pad(number) {
    return String(number).padStart(2, "0");
  }

  function today() {
    var now = new Date();
    return [now.getFullYear(), pad(now.getMonth() + 1), pad(now.getDate())];
  }

  function pageAddress() {
    return location.href.split("#")[0].split("?")[0];
  }

  function fillSlots(box) {
    var date = today();
    var values = { date: date.join("-"), "ris-date": date.join("/"), url: pageAddress() };
    box.querySelectorAll("[data-cite-slot]").forEach(function (slot) {
      var value = values[slot.getAttribute("data-cite-slot")];
      if (value) slot.textContent = value;
    });
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button, text) {
    var done = function () {
      button.textContent = "已复制";
    };
    var selected = function () {
      // No clipboard here (an old browser, a page opened from disk): the text is selected for Ctrl+C.
      selectText(text);
      button.textContent = "已选中，请按 Ctrl+C 复制";
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text.textContent).then(done, selected);
    } else {
      selected();
    }
    setTimeout(function () {
      button.textContent = "复制";
    }, 3000);
  }

  function setUp(box) {
    fillSlots(box);
    box.querySelectorAll(".archive-cite__format").forEach(function (format) {
      var button = format.querySelector(".archive-cite__copy");
      var text = format.querySelector("pre code");
      if (!button || !text) return;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(button, text);
      });
    });
  }

  function start() {
    document.querySelectorAll(".archive-cite").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
