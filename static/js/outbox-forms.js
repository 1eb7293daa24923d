/* Outreach record forms on the tablet: each form shown gets its own record id; with no signal the
   record goes to the outbox (a form the network or an expired token stops is kept by the service
   worker); a refused record is opened here from the outbox, corrected and sent again. */
(function () {
  "use strict";
  var offline = window.outreachOffline;
  // Absent, or an older outbox.js still served by the previous worker during an app update.
  if (!offline || !offline.hooks) { return; }
  var Outbox = self.OutreachOutbox;
  var Time = self.OutreachTime;
  var zone = offline.zone;
  var msg = offline.msg;
  var STALE_MS = 10 * 60 * 1000;

  function notice(form, className, message, lines) {
    var el = form.parentNode.querySelector("[data-outbox-notice]");
    if (!el) {
      el = document.createElement("div");
      el.setAttribute("data-outbox-notice", "");
      el.setAttribute("role", "status");
      el.tabIndex = -1;
      form.parentNode.insertBefore(el, form);
    }
    el.className = "notice " + className;
    el.textContent = "";
    var head = document.createElement("p");
    head.textContent = message;
    el.appendChild(head);
    if (lines && lines.length) {
      var list = document.createElement("ul");
      lines.forEach(function (line) {
        var li = document.createElement("li");
        li.textContent = line;
        list.appendChild(li);
      });
      el.appendChild(list);
    }
    el.focus();
    return el;
  }

  // ---- The record's id and time.
  function freshId(form) {
    var id = form.querySelector("input[name=client_id]");
    if (id) { id.value = crypto.randomUUID(); }
  }
  function timeField(form) { return form.querySelector("input[name=occurred_at]"); }
  // The server's "now" (data-now), untouched: it means the moment the record is saved.
  function isNow(time) { return time && time.hasAttribute("data-now") && time.value === time.defaultValue; }
  function setNow(time) {
    time.setAttribute("data-now", "");
    time.value = time.defaultValue = Time.input(Date.now(), zone);
  }
  // A "now" drawn long ago (a page from the cache) shows this moment on the organisation's clock.
  // A time shown again after a refusal has no data-now: it stays as typed.
  function refreshNow(form) {
    var time = timeField(form);
    if (!isNow(time)) { return; }
    var shown = Time.toInstant(time.value, zone);
    if (typeof shown === "number" && !isNaN(shown) && Math.abs(Date.now() - shown) > STALE_MS) { setNow(time); }
  }
  // "02:30" when the typed time never happened on the organisation's clock (spring forward).
  function skippedTime(form) {
    var time = timeField(form);
    if (!time || !time.value || isNow(time)) { return null; }
    return Time.toInstant(time.value, zone) === null ? time.value.slice(11, 16) : null;
  }

  // ---- Keeping a form in the outbox.
  function entriesOf(form, submitter) {
    var time = timeField(form);
    var entries = [];
    new FormData(form, submitter || undefined).forEach(function (value, name) {
      if (typeof value !== "string") { return; }
      if (name === "occurred_at" && isNow(time)) { return; }
      entries.push([name, value]);
    });
    return entries;
  }
  function keepForm(form, kind, submitter, refused) {
    var code = form.querySelector("[data-client-code]");
    var options = { strict: true, zone: zone, codeKey: code ? code.dataset.codeKey : "" };
    return Outbox.buildRecord(kind, entriesOf(form, submitter), options).then(function (record) {
      var absent = Outbox.missing(kind, record);
      if (absent.length) {
        var first = form.querySelector("[name=" + absent[0] + "]");
        notice(form, "warn", msg("Required"));
        if (first) { first.focus(); }
        return;
      }
      var user = offline.user();
      var saved = refused ? Outbox.replace(refused.client_id, record, user) : Outbox.put(record, user);
      return saved.then(function () {
        Outbox.announce();
        if (refused) { location.href = offline.box.dataset.outboxUrl; return; }
        resetForm(form);
        return offline.render().then(function (waiting) { notice(form, "ok", msg("Saved", waiting)); });
      });
    }, function (error) {
      if (error && error.message === "client_code") { notice(form, "warn", msg("Code")); return; }
      throw error;
    });
  }
  function resetForm(form) {
    form.reset();
    // Hidden fields keep their value through a reset: the code and what came of its parts.
    ["client_code_digest", "age_band", "sex"].forEach(function (name) {
      var hidden = form.querySelector("input[type=hidden][name=" + name + "]");
      if (hidden) { hidden.value = ""; }
    });
    delete form.dataset.digested;
    freshId(form);
    var time = timeField(form);
    if (time) { setNow(time); }
    var lat = form.querySelector("input[name=latitude]");
    var geo = form.querySelector("[data-geo-button]");
    if (lat && !lat.value && geo && !geo.hidden) { geo.click(); }
  }

  // ---- A refused record, opened from the outbox: its fields filled in, the reasons by them.
  function fieldName(field) { return String(field || "").replace(/^data\./, "").split(".")[0]; }
  function labelOf(form, el) {
    var group = el.closest("fieldset");
    var label = group && (el.type === "radio" || el.closest(".checks"))
      ? group.querySelector("legend")
      : form.querySelector('label[for="' + el.id + '"]') || el.closest("label");
    if (!label) { return ""; }
    var copy = label.cloneNode(true);
    copy.querySelectorAll(".req").forEach(function (r) { r.remove(); });
    return copy.textContent.trim();
  }
  function asText(value) { return value === true ? "yes" : value === false ? "no" : String(value); }
  function fill(form, data) {
    Object.keys(data).forEach(function (name) {
      var value = data[name];
      var els = form.querySelectorAll('[name="' + name + '"]');
      if (name === "occurred_at" && els.length) {
        var ms = Date.parse(value);
        els[0].removeAttribute("data-now");
        els[0].value = isNaN(ms) ? String(value).slice(0, 16) : Time.input(ms, zone);
        return;
      }
      els.forEach(function (el) {
        if (el.type === "radio") { el.checked = el.value === asText(value); }
        else if (el.type === "checkbox") { el.checked = Array.isArray(value) ? value.indexOf(el.value) >= 0 : value === true; }
        else { el.value = asText(value); }
      });
      if (name === "client_code_digest" && value) {
        var status = form.querySelector("[data-code-status]");
        var code = form.querySelector("[data-client-code]");
        if (status && code) { status.textContent = code.dataset.msgEntered || ""; }
      }
    });
  }
  function showReasons(form, errors) {
    return (errors || []).map(function (e) {
      var el = form.querySelector('[name="' + fieldName(e.field) + '"]:not([type=hidden])');
      if (!el) { return e.reason; }
      var holder = el.closest(".field") || el.closest("fieldset");
      if (holder) {
        holder.classList.add("has-error");
        var p = document.createElement("p");
        p.className = "error";
        p.textContent = e.reason;
        holder.appendChild(p);
        var more = holder.closest("details");
        if (more) { more.open = true; }
      }
      var label = labelOf(form, el);
      return label ? label + ": " + e.reason : e.reason;
    });
  }
  function openRefused(form, kind) {
    var wanted = new URLSearchParams(location.search).get("correct");
    if (!wanted) { return Promise.resolve(null); }
    return Outbox.get(wanted).then(function (row) {
      if (!row || row.kind !== kind || !offline.isMine(row)) { return null; }
      fill(form, row.data);
      var id = form.querySelector("input[name=client_id]");
      // Nothing was stored under a refused id, unless it was refused as taken (409).
      if (id && row.http_status !== 409) { id.value = row.client_id; }
      notice(form, "warn", msg("Correct"), showReasons(form, row.errors));
      return row;
    });
  }

  document.querySelectorAll("form[data-record-form]").forEach(function (form) {
    var kind = Outbox.KIND_OF_FORM[form.dataset.recordForm];
    var refused = null;
    // Never an id baked into the page: two tabs showing one cached page save two records.
    freshId(form);
    refreshNow(form);
    window.addEventListener("pageshow", function (event) {
      if (event.persisted && !refused) { freshId(form); refreshNow(form); }
    });
    openRefused(form, kind).then(function (row) { refused = row; });
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented || !kind) { return; } // app.js digests the client code first
      var skipped = skippedTime(form);
      if (skipped) {
        event.preventDefault();
        notice(form, "warn", msg("Skipped").replace("{time}", skipped));
        timeField(form).focus();
        return;
      }
      if (navigator.onLine && !refused) { return; } // posted; if it cannot be, the worker keeps it
      event.preventDefault();
      keepForm(form, kind, event.submitter, refused).catch(function (error) {
        notice(form, "warn", msg("Failed"));
        if (window.console) { console.error(error); }
      });
    });
  });
})();
