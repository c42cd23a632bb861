// Article editor: upload, paste or drop a file without losing the text; its Markdown goes where the cursor is.
// Without this script the form's "Unggah dan sisipkan" button does the same through a page load
// (articles.views._upload_into_text): a draft is saved with the file inserted at the end.
(function () {
  "use strict";
  var form = document.querySelector("form[data-article-editor]");
  if (!form) return;
  var body = form.querySelector("textarea[name=body]");
  var fileInput = form.querySelector("input[type=file][name=file]");
  var cursor = form.querySelector("input[name=cursor]");
  var button = form.querySelector("[data-editor-upload]");
  var status = document.getElementById("upload-status");
  var uploadUrl = form.dataset.uploadUrl;
  if (!body) return;

  function rememberCursor() {
    if (cursor) cursor.value = String(body.selectionStart);
  }
  body.addEventListener("blur", rememberCursor);
  form.addEventListener("submit", rememberCursor, true);

  function insert(markdown) {
    var text = body.value;
    var before = text.slice(0, body.selectionStart);
    var after = text.slice(body.selectionEnd);
    if (before && before.slice(-1) !== "\n") before += "\n";
    if (after && after.charAt(0) !== "\n") after = "\n" + after;
    body.value = before + markdown + after;
    var caret = (before + markdown).length;
    body.focus();
    body.setSelectionRange(caret, caret);
    // The preview, autosave (drafts) and the unsaved-changes warning follow the text as if it was typed.
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function say(text) {
    if (status) status.textContent = text || "";
  }

  function upload(file) {
    if (!uploadUrl || !fileInput || !button) {
      // A new article has nowhere to attach yet: the form saves the draft with the file, as without script.
      if (!fileInput || !button || !window.DataTransfer) return;
      var transfer = new DataTransfer();
      transfer.items.add(file);
      fileInput.files = transfer.files;
      rememberCursor();
      button.click();
      return;
    }
    var data = new FormData();
    data.append("file", file);
    data.append("csrf_token", form.querySelector("input[name=csrf_token]").value);
    say(status && status.dataset.busy);
    fetch(uploadUrl, { method: "POST", body: data, credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        var trigger = response.headers.get("HX-Trigger");
        return response.text().then(function (html) {
          return { html: html, trigger: trigger ? JSON.parse(trigger) : {} };
        });
      })
      .then(function (result) {
        say("");
        var list = document.getElementById("attachment-list");
        if (list) list.outerHTML = result.html;
        var added = result.trigger["article-attachment"];
        if (added) insert(added.markdown);
        if (fileInput) fileInput.value = "";
      })
      .catch(function () {
        say(document.body.dataset.errorMessage || "Terjadi kesalahan. Coba lagi.");
      });
  }

  if (button && uploadUrl) {
    button.addEventListener("click", function (event) {
      if (!fileInput || !fileInput.files.length) return; // the server says what is missing
      event.preventDefault();
      upload(fileInput.files[0]);
    });
  }

  body.addEventListener("paste", function (event) {
    var files = event.clipboardData && event.clipboardData.files;
    if (files && files.length && /^image\//.test(files[0].type)) {
      event.preventDefault();
      upload(files[0]);
    }
  });
  body.addEventListener("dragover", function (event) {
    if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
      event.preventDefault();
    }
  });
  body.addEventListener("drop", function (event) {
    var files = event.dataTransfer && event.dataTransfer.files;
    if (files && files.length) {
      event.preventDefault();
      upload(files[0]);
    }
  });
})();
