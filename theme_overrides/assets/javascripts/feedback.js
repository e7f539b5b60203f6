/* Learning Lessons: the feedback form on a briefing. Plain script, no dependencies.
 *
 * Without this script the form still works: it posts to the board's service or form endpoint,
 * or opens an e-mail. With it, the form checks answers before sending and shows each problem
 * beside its field, sends in the background where it can, says plainly when sending failed
 * (keeping every answer on the page), and can save the answers to a file. It gives each showing
 * of the form its own submission id, so a form sent twice is stored once. */
(function () {
  "use strict";

  function init() {
    var form = document.getElementById("ll-feedback");
    if (!form) return;
    var delivery = form.getAttribute("data-delivery");
    var messages = document.getElementById("ll-feedback-messages");
    var status = document.getElementById("ll-feedback-status");
    var alertBox = document.getElementById("ll-feedback-alert");
    var saveButton = form.querySelector("[data-action=save]");
    var idField = form.querySelector("input[name='submission-id']");
    form.noValidate = true;
    saveButton.hidden = false;
    // Every showing of the form gets its own submission id, kept when the form is sent again (the
    // browser's Back button restores it with the answers), so the board stores it once however
    // it is sent. A form sent without this script has none: the service knows it by its answers.
    if (!idField.value) idField.value = newId();

    // The page's words for the script (data-* of #ll-feedback-messages). A site in English only
    // gives no "required" or "needed" words, and the English ones here are used.
    function message(name, values) {
      var text = messages.getAttribute("data-" + name) || "";
      Object.keys(values || {}).forEach(function (key) { text = text.split("{" + key + "}").join(values[key]); });
      return text;
    }

    function fieldsOf() {
      return Array.prototype.slice.call(form.querySelectorAll("[data-field]"));
    }

    function labelOf(wrapper) {
      var label = wrapper.querySelector("legend") || wrapper.querySelector("label");
      return label ? label.textContent.replace(/\s+/g, " ").trim() : wrapper.getAttribute("data-field");
    }

    function valueOf(wrapper) {
      var name = wrapper.getAttribute("data-field");
      var controls = form.querySelectorAll("[name='" + name + "']");
      for (var i = 0; i < controls.length; i += 1) {
        var control = controls[i];
        if ((control.type === "radio" || control.type === "checkbox")) {
          if (control.checked) return control.value;
        } else {
          return control.value.trim();
        }
      }
      return "";
    }

    function showError(wrapper, text) {
      var error = wrapper.querySelector(".ll-error");
      var controls = wrapper.querySelectorAll("input, textarea, select");
      error.textContent = text || "";
      error.hidden = !text;
      Array.prototype.forEach.call(controls, function (control) {
        if (text) control.setAttribute("aria-invalid", "true");
        else control.removeAttribute("aria-invalid");
      });
    }

    function check() {
      var problems = [];
      fieldsOf().forEach(function (wrapper) {
        var control = wrapper.querySelector("input, textarea, select");
        var text = "";
        var value = valueOf(wrapper);
        if (control && !value && control.required) {
          text = message("required") || "This is required.";
        } else if (control && value && control.validity && !control.validity.valid && control.type !== "radio") {
          text = control.validationMessage;
        }
        showError(wrapper, text);
        if (text) problems.push({ wrapper: wrapper, text: text });
      });
      fieldsOf().forEach(function (wrapper) {
        var partnerName = wrapper.getAttribute("data-requires");
        if (!partnerName || !valueOf(wrapper)) return;
        var partner = form.querySelector("[data-field='" + partnerName + "']");
        if (partner && !valueOf(partner)) {
          var text = message("needed", { label: labelOf(wrapper) }) || "Needed when “" + labelOf(wrapper) + "” is filled in.";
          showError(partner, text);
          problems.push({ wrapper: partner, text: text });
        }
      });
      return problems;
    }

    function showProblems(problems) {
      alertBox.innerHTML = "";
      if (!problems.length) { alertBox.hidden = true; return; }
      var intro = document.createElement("p");
      intro.textContent = message("fix");
      var list = document.createElement("ul");
      problems.forEach(function (problem) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        var target = problem.wrapper.querySelector("input, textarea, select");
        link.href = "#" + (target && target.id ? target.id : "");
        link.textContent = labelOf(problem.wrapper) + ": " + problem.text;
        link.addEventListener("click", function (event) {
          event.preventDefault();
          if (target) target.focus();
        });
        item.appendChild(link);
        list.appendChild(item);
      });
      alertBox.appendChild(intro);
      alertBox.appendChild(list);
      alertBox.hidden = false;
      alertBox.focus();
    }

    function answersText() {
      var lines = [form.getAttribute("data-subject"), ""];
      fieldsOf().forEach(function (wrapper) {
        lines.push(labelOf(wrapper).replace(/\s*\(required\)$/, ""));
        lines.push(valueOf(wrapper) || "-");
        lines.push("");
      });
      return lines.join("\n");
    }

    function newId() {
      if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
      return String(Date.now()) + "-" + String(Math.random()).slice(2, 12);
    }

    saveButton.addEventListener("click", function () {
      var blob = new Blob([answersText()], { type: "text/plain;charset=utf-8" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = "feedback-" + form.getAttribute("data-briefing") + ".txt";
      document.body.appendChild(link);
      link.click();
      setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
    });

    form.addEventListener("submit", function (event) {
      var problems = check();
      showProblems(problems);
      if (problems.length) { event.preventDefault(); return; }
      if (!idField.value) idField.value = newId();
      if (delivery === "email") {
        event.preventDefault();
        var address = "mailto:" + form.getAttribute("data-email") +
          "?subject=" + encodeURIComponent(form.getAttribute("data-subject")) +
          "&body=" + encodeURIComponent(answersText());
        status.textContent = message("email-opened", { email: form.getAttribute("data-email") });
        form.setAttribute("data-mailto", address);
        window.location.href = address;
        return;
      }
      if (delivery !== "service") return; // endpoint and netlify: the browser posts the form
      event.preventDefault();
      status.textContent = message("sending");
      var body = new URLSearchParams(new FormData(form));
      fetch(form.action, { method: "POST", body: body, headers: { Accept: "application/json" }, credentials: "omit" })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (data) {
            return { response: response, data: data };
          });
        })
        .then(function (result) {
          if (result.response.ok && result.data.ok) {
            status.textContent = message("sent");
            form.querySelector("button[type=submit]").disabled = true;
            return;
          }
          var errors = result.data.errors || {};
          var fieldProblems = [];
          fieldsOf().forEach(function (wrapper) {
            var text = errors[wrapper.getAttribute("data-field")];
            showError(wrapper, text || "");
            if (text) fieldProblems.push({ wrapper: wrapper, text: text });
          });
          showProblems(fieldProblems);
          var reason = errors.form || errors.briefing || ("the board's service answered " + result.response.status);
          status.textContent = message("failed", { reason: reason, email: form.getAttribute("data-email") });
        })
        .catch(function (error) {
          status.textContent = message("failed", {
            reason: "the board's service could not be reached",
            email: form.getAttribute("data-email"),
          });
        });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
