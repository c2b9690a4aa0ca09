// Progressive enhancement for the portal's forms. The server checks every answer; this script
// only checks required fields before sending (a page sent back with errors must leave the
// password boxes empty, so the round trip costs the person their typing) and adds a
// "show password" button. Its messages are the server's own, in the page's language, read
// from data attributes the templates write.
(function () {
  "use strict";

  function isEmpty(input) {
    return input.type === "checkbox" ? !input.checked : !input.value.trim();
  }

  function labelOf(input) {
    var label = input.form.querySelector('label[for="' + input.id + '"]');
    return label ? label.textContent.trim() : input.name;
  }

  function markField(input) {
    var field = input.closest(".field");
    if (!field || field.querySelector(".field-errors")) return;
    var errors = document.createElement("ul");
    errors.className = "field-errors";
    errors.id = input.id + "-error";
    var line = document.createElement("li");
    line.textContent = input.dataset.required;
    errors.appendChild(line);
    field.classList.add("field--error");
    input.insertAdjacentElement(input.type === "checkbox" ? "afterend" : "beforebegin", errors);
    input.setAttribute("aria-invalid", "true");
    var described = (input.getAttribute("aria-describedby") || "").split(" ");
    described.push(errors.id);
    input.setAttribute("aria-describedby", described.join(" ").trim());
  }

  function summary(form, missing) {
    var box = document.createElement("div");
    box.className = "error-summary";
    box.setAttribute("role", "alert");
    box.setAttribute("tabindex", "-1");
    var title = document.createElement("h2");
    title.textContent = form.dataset.summaryTitle;
    box.appendChild(title);
    var list = document.createElement("ul");
    missing.forEach(function (input) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + input.id;
      link.textContent = form.dataset.summaryLine
        .replace("%(field)s", labelOf(input)).replace("%(problem)s", input.dataset.required);
      item.appendChild(link);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function check(event) {
    var form = event.target;
    var missing = Array.prototype.filter.call(form.querySelectorAll("[data-required]"), isEmpty);
    if (!missing.length) return;
    event.preventDefault();
    var old = form.querySelector(".error-summary");
    if (old) old.remove();
    var box = summary(form, missing);
    form.insertBefore(box, form.firstChild);
    missing.forEach(markField);
    box.focus();
  }

  function addToggle(input) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "link-button password-toggle";
    button.textContent = input.dataset.show;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var shown = input.type === "password";
      input.type = shown ? "text" : "password";
      button.textContent = shown ? input.dataset.hide : input.dataset.show;
      button.setAttribute("aria-pressed", String(shown));
    });
    input.insertAdjacentElement("afterend", button);
  }

  document.querySelectorAll("form[data-summary-title]").forEach(function (form) {
    form.addEventListener("submit", check);
  });
  document.querySelectorAll("input[type=password][data-show]").forEach(addToggle);
})();
