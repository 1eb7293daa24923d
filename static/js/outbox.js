/* Outreach outbox, on the page: the service worker, the header status and sending what waits
   in the outbox (static/js/outbox-store.js). The record forms (outbox-forms.js) and the outbox
   page and bag (outbox-list.js) hook into window.outreachOffline. Texts come from data-*
   attributes rendered (and translated) by the templates. */
(function () {
  "use strict";
  var Outbox = self.OutreachOutbox;
  var box = document.querySelector("[data-outbox]");
  if (!box || !window.indexedDB || !Outbox) { return; }
  var meta = function (name) { var m = document.querySelector('meta[name="' + name + '"]'); return m ? m.content : ""; };
  var state = { user: meta("outreach-user"), login: false, sending: false, stored: false };
  // Records per request. Small on purpose: with 50 tablets sending at once on a 2-core server,
  // 95 % of requests answer within about half a second (docs/performance.md), and a request cut
  // off by a lost signal costs only these few records' resend. bench/api_load.py reads this.
  var BATCH = 5;
  var offline = window.outreachOffline = {
    precached: false, sending: false, zone: self.OutreachTime.known(meta("outreach-zone")),
    box: box, hooks: [],
    msg: function (name, n) { return (box.dataset["msg" + name] || "").replace("{n}", n); },
    isMine: function (row) { return !row.user || String(row.user) === String(state.user); },
    user: function () { return state.user; }
  };

  function worker(message) {
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage(message);
    }
  }
  // The service worker: registered for logged-in pages; each visit online refreshes its copies.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    navigator.serviceWorker.ready.then(function (reg) {
      if (!navigator.onLine || !reg.active) { return; }
      // The kept pages speak the language they were fetched in: after a language change they
      // are fetched again at once, not at the next refresh (up to 30 s later).
      var lang = document.documentElement.lang;
      var kept = null;
      try { kept = localStorage.getItem("outreach-pages-lang"); localStorage.setItem("outreach-pages-lang", lang); } catch (e) { /* private mode */ }
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { offline.precached = true; };
      reg.active.postMessage({ type: "refresh", force: kept !== lang }, [channel.port2]);
    });
    document.querySelectorAll('form[action$="/logout"]').forEach(function (form) {
      form.addEventListener("submit", function () { worker({ type: "logout" }); });
    });
  }
  Outbox.setUser(state.user, offline.zone);

  // ---- Header status: "N waiting to send" / "All sent" / "Log in to send N waiting records".
  var text = box.querySelector("[data-outbox-text]");
  var link = box.querySelector("[data-outbox-link]");
  function render() {
    return Outbox.all().then(function (rows) {
      var mine = rows.filter(offline.isMine);
      var waiting = mine.filter(function (r) { return r.state !== "refused"; }).length;
      var refused = mine.length - waiting;
      var parts = [];
      if (state.login && waiting) { parts.push(offline.msg("Login", waiting)); }
      else if (state.sending && waiting) { parts.push(offline.msg("Sending", waiting)); }
      else if (waiting) { parts.push(offline.msg("Waiting", waiting)); }
      if (refused) { parts.push(offline.msg("Refused", refused)); }
      var line = parts.length ? parts.join(" · ") : offline.msg("AllSent", 0);
      if (text.textContent !== line) { text.textContent = line; }
      link.href = state.login && waiting ? box.dataset.loginUrl : box.dataset.outboxUrl;
      box.dataset.waiting = String(waiting);
      box.dataset.refused = String(refused);
      box.hidden = false;
      document.querySelectorAll("[data-outbox-send]").forEach(function (b) { b.hidden = waiting === 0; });
      offline.hooks.forEach(function (hook) { hook(rows, mine); });
      return waiting;
    });
  }

  // ---- Sending: in batches, a record leaves the outbox only once the server confirmed it.
  function post(url, token, body) {
    return fetch(url, {
      method: body ? "POST" : "GET", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": token || "" },
      body: body ? JSON.stringify(body) : undefined
    });
  }
  function whoAmI() {
    // A fresh CSRF token (the page may come from the cache, or the token may have expired).
    return post("/api/v1/me").then(function (res) {
      if (res.status === 401) { state.login = true; return null; }
      if (!res.ok) { return null; }
      return res.json().then(function (me) {
        state.login = false;
        state.user = String(me.id);
        var tag = document.querySelector('meta[name="csrf-token"]');
        if (tag && me.csrf_token) { tag.content = me.csrf_token; }
        return me.csrf_token;
      });
    });
  }
  function sendBatches() {
    var token = null;
    var rounds = 0;
    function next() {
      return Outbox.all().then(function (rows) {
        var batch = rows.filter(function (r) { return offline.isMine(r) && r.state !== "refused"; }).slice(0, BATCH);
        if (!batch.length || rounds++ > 1000) { return; }
        var ready = token ? Promise.resolve(token) : whoAmI();
        return ready.then(function (t) {
          if (!t) { return; }
          token = t;
          batch = batch.filter(offline.isMine);
          if (!batch.length) { return; }
          state.sending = true;
          render();
          var body = { records: batch.map(function (r) { return { kind: r.kind, client_id: r.client_id, data: r.data }; }) };
          return post("/api/v1/sync", token, body).then(function (res) {
            if (res.status === 401) { state.login = true; return; }
            if (res.status === 400 || res.status === 403) { token = null; return rounds > 3 ? null : next(); }
            if (!res.ok) { return; } // 503 and the like: everything stays, sent again later
            return res.json().then(function (answer) { return settle(batch, answer.results || []); })
              .then(function (progress) { return progress ? next() : null; });
          });
        });
      });
    }
    return next();
  }
  function settle(batch, results) {
    var byId = {};
    batch.forEach(function (r) { byId[r.client_id.toLowerCase()] = r; });
    var work = results.map(function (res) {
      var row = byId[String(res.client_id || "").toLowerCase()];
      if (!row) { return Promise.resolve(0); }
      if (res.status === "stored" || res.status === "already_stored") {
        state.stored = true;
        return Outbox.remove(row.client_id).then(function () { return 1; });
      }
      if (res.status === "refused" && res.http_status >= 400 && res.http_status < 500) {
        row.state = "refused"; row.errors = res.errors || []; row.http_status = res.http_status;
        return Outbox.update(row).then(function () { return 1; });
      }
      return Promise.resolve(0);
    });
    return Promise.all(work).then(function (done) {
      Outbox.announce();
      return done.reduce(function (a, b) { return a + b; }, 0);
    });
  }

  // Sections of the page drawn by the server from what it had stored (data-live, e.g. the home
  // page's recent records): drawn again once records have arrived; the worker's copy too.
  function redrawLive() {
    var live = document.querySelectorAll("[data-live]");
    worker({ type: "refresh", force: true });
    if (!live.length) { return Promise.resolve(); }
    return fetch(location.pathname, {
      credentials: "same-origin", cache: "no-store", headers: { "X-Outreach-Background": "1" }
    }).then(function (res) {
      return res.ok && !res.redirected ? res.text() : null;
    }).then(function (html) {
      if (!html) { return; }
      var fresh = new DOMParser().parseFromString(html, "text/html");
      live.forEach(function (el) {
        var now = fresh.querySelector('[data-live="' + el.dataset.live + '"]');
        if (now) { el.replaceWith(document.importNode(now, true)); }
      });
    }).catch(function () { /* the signal went again: the page stays as it was */ });
  }
  function sendAll() {
    if (!navigator.onLine) { return render(); }
    var go = function () {
      offline.sending = true;
      return sendBatches().catch(function () { /* network: everything stays in the outbox */ })
        .then(function () { state.sending = false; offline.sending = false; });
    };
    var started = navigator.locks
      ? navigator.locks.request("outreach-outbox-send", { ifAvailable: true }, function (lock) { return lock ? go() : null; })
      : (offline.sending ? Promise.resolve() : go());
    return started.then(render, render).then(function (waiting) {
      var stored = state.stored;
      state.stored = false;
      if (!stored) { return waiting; }
      if (offline.onStored) { offline.onStored(); }
      return redrawLive().then(function () { return waiting; });
    });
  }
  offline.send = sendAll;
  offline.render = render;

  document.querySelectorAll("[data-outbox-send]").forEach(function (button) {
    button.addEventListener("click", function () { state.login = false; sendAll(); });
  });
  window.addEventListener("online", sendAll);
  window.addEventListener("offline", render);
  if (typeof BroadcastChannel !== "undefined") { new BroadcastChannel(Outbox.CHANNEL).onmessage = render; }
  setInterval(function () {
    if (navigator.onLine && !state.login && Number(box.dataset.waiting || 0) > 0) { sendAll(); }
  }, 30000);
  // Every page load (the app has opened), once the other modules have hooked in.
  document.addEventListener("DOMContentLoaded", function () { sendAll(); });
})();
