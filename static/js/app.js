/* Outreach page helpers: GPS position, client code digest. Forms work without this file. */
(function () {
  "use strict";
  function text(el, value) { if (el) { el.textContent = value; } }

  // The menu folds behind its button on narrow screens (CSS); Escape closes it.
  var toggle = document.querySelector("header.top .menu-toggle");
  var menu = document.getElementById("site-menu");
  if (toggle && menu && menu.querySelector("nav")) {
    document.documentElement.classList.add("js-menu");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.classList.contains("open")) { toggle.click(); toggle.focus(); }
    });
  }

  // A form refused by the server: focus its error summary, so the keyboard starts there.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // A table wider than the screen scrolls; the keyboard must reach it too.
  document.querySelectorAll(".table-wrap").forEach(function (wrap) {
    var caption = wrap.querySelector("caption");
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", caption ? caption.textContent.trim() : (document.title || ""));
  });

  // "Use my position": fill latitude/longitude from the browser's geolocation.
  document.querySelectorAll("[data-geo]").forEach(function (box) {
    var button = box.querySelector("[data-geo-button]");
    var status = box.querySelector("[data-geo-status]");
    var lat = box.querySelector("input[name=latitude]");
    var lon = box.querySelector("input[name=longitude]");
    if (!button || !lat || !lon) { return; }
    if (!("geolocation" in navigator)) { button.hidden = true; return; }
    // Asked by the page itself (`auto`), the position never replaces one filled in meanwhile
    // (typed, or a record opened from the outbox to be corrected).
    function locate(auto) {
      text(status, button.dataset.busy || "…");
      navigator.geolocation.getCurrentPosition(function (pos) {
        if (auto === true && (lat.value || lon.value)) { text(status, ""); return; }
        lat.value = pos.coords.latitude.toFixed(5);
        lon.value = pos.coords.longitude.toFixed(5);
        text(status, "✓ " + lat.value + ", " + lon.value);
      }, function () { text(status, "✗"); }, { enableHighAccuracy: true, timeout: 10000, maximumAge: 60000 });
    }
    button.addEventListener("click", locate);
    if (!lat.value && !lon.value && box.closest("form").querySelector(".has-error") === null) { locate(true); }
  });

  // The batch list follows the product: only the chosen product's batches in the bag are
  // offered, the one the server marks as taken first (data-first) chosen. Without this script
  // every batch stays listed and the server refuses a batch of another product.
  document.querySelectorAll("select[data-batch-for]").forEach(function (batch) {
    var product = batch.form && batch.form.querySelector("select[name=" + batch.dataset.batchFor + "]");
    if (!product) { return; }
    // A phone's select box shows only the start of a long label: the whole of the chosen
    // batch's label (expiry, kits, number) is written out under it.
    var detail = document.createElement("p");
    detail.className = "hint";
    detail.setAttribute("data-batch-detail", "");
    detail.setAttribute("aria-live", "polite");
    batch.insertAdjacentElement("afterend", detail);
    function describe() {
      var chosen = batch.options[batch.selectedIndex];
      detail.textContent = chosen && chosen.value !== "0" ? chosen.textContent : "";
    }
    batch.addEventListener("change", describe);
    function follow(keep) {
      var first = null;
      Array.prototype.forEach.call(batch.options, function (option) {
        var shown = !option.dataset.product || option.dataset.product === product.value;
        option.hidden = !shown;
        option.disabled = !shown;
        if (shown && option.dataset.first === "1") { first = option; }
      });
      var current = batch.options[batch.selectedIndex];
      if (!keep || !current || current.disabled) { batch.value = first ? first.value : "0"; }
      describe();
    }
    product.addEventListener("change", function () { follow(false); });
    follow(true); // as the server rendered it, unless it shows another product's batch
  });

  // A "When" the page filled in (data-now) and nobody changed means now: a handout form left
  // open for a while is saved at the time it is sent, not when it was opened, since the kits
  // must have been in the bag at the handout's time. Now on the organisation's clock
  // (static/js/localtime.js), whatever zone the tablet is set to.
  document.querySelectorAll("input[name=occurred_at][data-now]").forEach(function (time) {
    time.form.addEventListener("submit", function () {
      var zone = document.querySelector('meta[name="outreach-zone"]');
      if (!time.value || time.value !== time.defaultValue || !window.OutreachTime || !zone) { return; }
      time.value = window.OutreachTime.input(Date.now(), zone.content);
    });
  });

  // Client code: an HMAC of initials|dob|sex under the page's tablet key, made on the tablet
  // (static/js/outbox-store.js codeDigest); only the digest is sent, with the age band on the
  // record's local day (ageBand) and the sex, never the birth date.
  function normaliseInitials(s) {
    return Array.from((s || "").normalize("NFC").toUpperCase()).filter(function (c) {
      return c.toLowerCase() !== c.toUpperCase();
    }).join("");
  }
  window.outreachCodeDigest = function (initials, dob, sex, key) {
    return window.OutreachOutbox.codeDigest(initials, dob, sex, key);
  };
  document.querySelectorAll("form").forEach(function (form) {
    var box = form.querySelector("[data-client-code]");
    if (!box || !(window.crypto && crypto.subtle) || !box.dataset.codeKey) { return; }
    var key = box.dataset.codeKey;
    var ini = box.querySelector("input[name=client_initials]");
    var dob = box.querySelector("input[name=client_dob]");
    var sex = box.querySelector("select[name=client_sex]");
    var digest = form.querySelector("input[name=client_code_digest]");
    var band = form.querySelector("input[name=age_band]");
    var person = form.querySelector("input[name=sex]");
    var time = form.querySelector("input[name=occurred_at]");
    var zone = document.querySelector('meta[name="outreach-zone"]');
    var status = box.querySelector("[data-code-status]");
    function showHistory() {
      var url = box.dataset.historyUrl;
      if (!url || !(ini.value && dob.value && sex.value) || normaliseInitials(ini.value).length !== 2) { return; }
      window.outreachCodeDigest(ini.value, dob.value, sex.value, key).then(function (d) {
        var body = new FormData();
        body.append("digest", d);
        var token = form.querySelector("input[name=csrf_token]");
        if (token) { body.append("csrf_token", token.value); }
        return fetch(url, { method: "POST", body: body, credentials: "same-origin" });
      }).then(function (r) {
        // 429: too many look-ups this minute; the answer says how long to wait.
        return r && (r.ok || r.status === 429) ? r.json() : null;
      }).then(function (data) {
        if (!data) { return; }
        if (data.error) { text(status, data.error.reason); return; }
        var said = data.count === 0 ? box.dataset.msgNone : box.dataset.msgSome
          .replace("{count}", data.count).replace("{date}", data.supplies[0].date);
        text(status, data.supplied_elsewhere_90_days ? said + " " + box.dataset.msgElsewhere : said);
      }).catch(function () { /* offline: the history is a convenience */ });
    }
    [ini, dob, sex].forEach(function (el) { el.addEventListener("change", showHistory); });
    form.addEventListener("submit", function (event) {
      if (form.dataset.digested === "1") { return; }
      if (!(ini.value && dob.value && sex.value) || normaliseInitials(ini.value).length !== 2) { return; }
      event.preventDefault();
      var submitter = event.submitter;
      window.outreachCodeDigest(ini.value, dob.value, sex.value, key).then(function (d) {
        digest.value = d;
        // On the day of the time the form is sent with (a "now" already moved to now, above).
        var day = window.OutreachOutbox.recordDay(time ? time.value : "", zone ? zone.content : "");
        if (band) { band.value = window.OutreachOutbox.ageBand(dob.value, day); }
        if (person) { person.value = sex.value; }
        ini.value = ""; dob.value = ""; sex.value = "";
        form.dataset.digested = "1";
        // After this submit event has finished, or Chromium ignores the second submit.
        setTimeout(function () {
          if (form.requestSubmit) { form.requestSubmit(submitter || undefined); } else { form.submit(); }
        }, 0);
      });
    });
  });
})();
