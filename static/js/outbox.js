/* Outreach outbox: records saved with no signal wait in IndexedDB until the server confirms them.
   The first half (self.OutreachOutbox) also runs in the service worker; the second half is the
   page: registering the worker, keeping forms offline, sending, the header status, the outbox page
   and the bag. Texts come from data-* attributes rendered (and translated) by the templates. */
(function (root) {
  "use strict";
  var DB_NAME = "outreach-offline";
  var STORE = "outbox";
  var META = "meta";
  var CHANNEL = "outreach-outbox";
  var KIND_OF_PATH = {
    "/handouts/new": "handout", "/handouts/tally": "tally",
    "/contacts/new": "contact", "/overdoses/new": "overdose_report"
  };
  var KIND_OF_FORM = { handout: "handout", tally: "tally", contact: "contact", overdose: "overdose_report" };
  var WHERE = { occurred_at: "time", latitude: "float", longitude: "float", site_id: "id", place_name: "text" };
  // The API's field names (outreach/api/schemas.py), which follow the forms' names.
  var FIELDS = {
    handout: Object.assign({
      product_id: "id", quantity: "int", supply: "text", setting: "text", recipient_type: "text",
      repeat_reason: "text", previous_source: "text", training_given: "bool", batch_id: "id",
      batch_label: "text", giver_id: "id", client_code_digest: "text"
    }, WHERE),
    tally: Object.assign({
      product_id: "id", quantity: "int", people_count: "int", people_trained: "int", setting: "text",
      batch_id: "id", batch_label: "text", giver_id: "id"
    }, WHERE),
    contact: Object.assign({
      setting: "text", people_count: "int", services: "list", referrals: "list", notes: "text",
      client_code_digest: "text"
    }, WHERE),
    overdose_report: Object.assign({
      administered_by: "text", outcome: "text", doses: "int", route: "text",
      emergency_called: "yesno", someone_stayed: "yesno", product_id: "id", client_code_digest: "text"
    }, WHERE)
  };
  var REQUIRED = { handout: ["product_id", "quantity", "supply"], tally: ["product_id", "quantity"],
    contact: [], overdose_report: ["administered_by"] };

  function openDb() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains(STORE)) { db.createObjectStore(STORE, { keyPath: "client_id" }); }
        if (!db.objectStoreNames.contains(META)) { db.createObjectStore(META, { keyPath: "key" }); }
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }
  function run(storeName, mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode);
        var req = work(tx.objectStore(storeName));
        tx.oncomplete = function () { db.close(); resolve(req ? req.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  // The client code, exactly as static/js/app.js makes it: SHA-256 of "II|YYYY-MM-DD|S".
  function normaliseInitials(s) {
    return Array.from((s || "").normalize("NFC").toUpperCase()).filter(function (c) {
      return c.toLowerCase() !== c.toUpperCase();
    }).join("");
  }
  function codeDigest(initials, dob, sex) {
    var code = normaliseInitials(initials) + "|" + dob + "|" + (sex || "").toUpperCase();
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(code)).then(function (buf) {
      return Array.from(new Uint8Array(buf)).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    });
  }

  function pad(n) { return String(n).padStart(2, "0"); }
  function isoWithOffset(d) {
    var off = -d.getTimezoneOffset();
    var sign = off >= 0 ? "+" : "-";
    off = Math.abs(off);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) +
      ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()) + sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }
  function localInput(d) {
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  // Unreadable numbers are kept as typed: the server refuses them with a reason, shown in the outbox.
  var CONVERT = {
    text: function (v) { v = v[0].trim(); return v === "" ? undefined : v; },
    int: function (v) { v = v[0].trim(); return v === "" ? undefined : (/^-?\d+$/.test(v) ? parseInt(v, 10) : v); },
    float: function (v) { v = v[0].trim(); return v === "" ? undefined : (isFinite(Number(v)) ? Number(v) : v); },
    id: function (v) { v = CONVERT.int(v); return v === 0 ? undefined : v; },
    bool: function (v) { return v.length > 0 && v[0] !== ""; },
    yesno: function (v) { return { yes: true, no: false }[v[0]]; },
    list: function (v) { return v.filter(function (x) { return x !== ""; }); },
    time: function (v) {
      v = v[0].trim();
      if (v === "") { return undefined; }
      var d = new Date(v); // a datetime-local value: the tablet's own time
      return isNaN(d.getTime()) ? v : isoWithOffset(d);
    }
  };

  /* The API record of a form's [name, value] pairs. The client code's parts are turned into the
     digest and dropped here, before anything is stored: the outbox never holds them. */
  function buildRecord(kind, entries, options) {
    var values = {};
    entries.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    var one = function (name) { return ((values[name] || [""])[0] || "").trim(); };
    var parts = [one("client_initials"), one("client_dob"), one("client_sex")];
    var digest = one("client_code_digest");
    var ready = Promise.resolve(digest);
    if (!digest && parts.some(Boolean)) {
      var complete = parts.every(Boolean) && normaliseInitials(parts[0]).length === 2;
      if (!complete && options.strict) { return Promise.reject(new Error("client_code")); }
      ready = complete ? codeDigest(parts[0], parts[1], parts[2]) : Promise.resolve("");
    }
    return ready.then(function (code) {
      values.client_code_digest = code ? [code] : [];
      var data = {};
      Object.keys(FIELDS[kind]).forEach(function (name) {
        var type = FIELDS[kind][name];
        if (!(values[name] || []).length && type !== "bool" && type !== "list") { return; }
        var value = CONVERT[type](values[name] || []);
        if (value !== undefined) { data[name] = value; }
      });
      if (!data.occurred_at) { data.occurred_at = isoWithOffset(new Date()); }
      var id = one("client_id") || crypto.randomUUID();
      return { kind: kind, client_id: id.toLowerCase(), data: data };
    });
  }
  function missing(kind, record) {
    return REQUIRED[kind].filter(function (name) { return record.data[name] === undefined; });
  }

  function announce() {
    if (typeof BroadcastChannel !== "undefined") { new BroadcastChannel(CHANNEL).postMessage("changed"); }
  }
  var api = {
    KIND_OF_PATH: KIND_OF_PATH, KIND_OF_FORM: KIND_OF_FORM, CHANNEL: CHANNEL,
    buildRecord: buildRecord, missing: missing, localInput: localInput, announce: announce,
    all: function () {
      return run(STORE, "readonly", function (s) { return s.getAll(); }).then(function (rows) {
        return rows.sort(function (a, b) { return a.saved_at < b.saved_at ? -1 : 1; });
      });
    },
    put: function (record, user) {
      var row = Object.assign({}, record, { user: user || null, saved_at: new Date().toISOString(),
        state: "waiting", errors: [], http_status: null });
      return run(STORE, "readwrite", function (s) { return s.put(row); });
    },
    update: function (row) { return run(STORE, "readwrite", function (s) { return s.put(row); }); },
    remove: function (id) { return run(STORE, "readwrite", function (s) { return s.delete(id); }); },
    getUser: function () {
      return run(META, "readonly", function (s) { return s.get("user"); }).then(function (r) { return r ? r.id : null; });
    },
    setUser: function (id) { return run(META, "readwrite", function (s) { return s.put({ key: "user", id: id }); }); }
  };
  root.OutreachOutbox = api;
})(self);

/* ---- The page: worker, forms, sending, status, the outbox page, the bag. ---- */
(function () {
  "use strict";
  if (typeof document === "undefined") { return; }
  var Outbox = self.OutreachOutbox;
  var box = document.querySelector("[data-outbox]");
  if (!box || !window.indexedDB) { return; }
  var msg = function (name, n) { return (box.dataset["msg" + name] || "").replace("{n}", n); };
  var meta = function (name) { var m = document.querySelector('meta[name="' + name + '"]'); return m ? m.content : ""; };
  var state = { user: meta("outreach-user"), login: false, sending: false, error: false };
  var USED = "outreach-used-client-ids";
  // Records per request. Small on purpose: with 50 tablets sending at once on a 2-core server,
  // 95 % of requests answer within about half a second (docs/performance.md), and a request cut
  // off by a lost signal costs only these few records' resend. bench/api_load.py reads this.
  var BATCH = 5;
  var offline = window.outreachOffline = { precached: false, sending: false };

  // The service worker: registered for logged-in pages; each visit online refreshes its copies.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    navigator.serviceWorker.ready.then(function (reg) {
      if (!navigator.onLine || !reg.active) { return; }
      var channel = new MessageChannel();
      channel.port1.onmessage = function () { offline.precached = true; };
      reg.active.postMessage({ type: "refresh" }, [channel.port2]);
    });
    document.querySelectorAll('form[action$="/logout"]').forEach(function (form) {
      form.addEventListener("submit", function () {
        if (navigator.serviceWorker.controller) { navigator.serviceWorker.controller.postMessage({ type: "logout" }); }
      });
    });
  }
  Outbox.setUser(state.user);

  function isMine(row) { return !row.user || String(row.user) === String(state.user); }
  function usedIds() { try { return JSON.parse(localStorage.getItem(USED) || "[]"); } catch (e) { return []; } }
  function markUsed(id) {
    if (!id) { return; }
    var ids = usedIds().filter(function (x) { return x !== id; }).concat([id]).slice(-500);
    try { localStorage.setItem(USED, JSON.stringify(ids)); } catch (e) { /* private mode */ }
  }

  // ---- Header status: "N waiting to send" / "All sent" / "Log in to send N waiting records".
  var text = box.querySelector("[data-outbox-text]");
  var link = box.querySelector("[data-outbox-link]");
  function render() {
    return Outbox.all().then(function (rows) {
      var mine = rows.filter(isMine);
      var waiting = mine.filter(function (r) { return r.state !== "refused"; }).length;
      var refused = mine.length - waiting;
      var parts = [];
      if (state.login && waiting) { parts.push(msg("Login", waiting)); }
      else if (state.sending && waiting) { parts.push(msg("Sending", waiting)); }
      else if (waiting) { parts.push(msg("Waiting", waiting)); }
      if (refused) { parts.push(msg("Refused", refused)); }
      var line = parts.length ? parts.join(" · ") : msg("AllSent", 0);
      if (text.textContent !== line) { text.textContent = line; }
      link.href = state.login && waiting ? box.dataset.loginUrl : box.dataset.outboxUrl;
      box.dataset.waiting = String(waiting);
      box.dataset.refused = String(refused);
      box.hidden = false;
      document.querySelectorAll("[data-outbox-send]").forEach(function (b) { b.hidden = waiting === 0; });
      renderList(rows);
      renderBag(mine);
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
        var batch = rows.filter(function (r) { return isMine(r) && r.state !== "refused"; }).slice(0, BATCH);
        if (!batch.length || rounds++ > 1000) { return; }
        var ready = token ? Promise.resolve(token) : whoAmI();
        return ready.then(function (t) {
          if (!t) { return; }
          token = t;
          batch = batch.filter(isMine);
          if (!batch.length) { return; }
          state.sending = true;
          render();
          var body = { records: batch.map(function (r) { return { kind: r.kind, client_id: r.client_id, data: r.data }; }) };
          return post("/api/v1/sync", token, body).then(function (res) {
            if (res.status === 401) { state.login = true; return; }
            if (res.status === 400 || res.status === 403) { token = null; return rounds > 3 ? null : next(); }
            if (!res.ok) { state.error = true; return; }
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
  function sendAll() {
    if (!navigator.onLine) { return render(); }
    var go = function () {
      offline.sending = true;
      state.error = false;
      return sendBatches().catch(function () { /* network: everything stays in the outbox */ })
        .then(function () { state.sending = false; offline.sending = false; });
    };
    var started = navigator.locks
      ? navigator.locks.request("outreach-outbox-send", { ifAvailable: true }, function (lock) { return lock ? go() : null; })
      : (offline.sending ? Promise.resolve() : go());
    return started.then(render, render).then(function (waiting) {
      // The bag page was drawn before these handouts reached the server: draw it again.
      if (state.stored && bagRows.length && navigator.onLine) { location.reload(); }
      state.stored = false;
      return waiting;
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

  // ---- Record forms: with no connection the record goes to the outbox instead of being lost.
  function notice(form, className, message) {
    var el = form.parentNode.querySelector("[data-outbox-notice]");
    if (!el) {
      el = document.createElement("p");
      el.setAttribute("data-outbox-notice", "");
      el.setAttribute("role", "status");
      el.tabIndex = -1;
      form.parentNode.insertBefore(el, form);
    }
    el.className = "notice " + className;
    el.textContent = message;
    el.focus();
    return el;
  }
  function keepForm(form, kind, submitter) {
    var time = form.querySelector("input[name=occurred_at]");
    var entries = [];
    new FormData(form, submitter || undefined).forEach(function (value, name) {
      if (typeof value !== "string") { return; }
      if (name === "occurred_at" && time && time.value === time.defaultValue) { return; } // = now
      entries.push([name, value]);
    });
    return Outbox.buildRecord(kind, entries, { strict: true }).then(function (record) {
      var absent = Outbox.missing(kind, record);
      if (absent.length) {
        var first = form.querySelector("[name=" + absent[0] + "]");
        notice(form, "warn", msg("Required"));
        if (first) { first.focus(); }
        return;
      }
      return Outbox.put(record, state.user).then(function () {
        markUsed(record.client_id);
        resetForm(form);
        Outbox.announce();
        return render();
      }).then(function (waiting) { notice(form, "ok", msg("Saved", waiting)); });
    }, function (error) {
      if (error && error.message === "client_code") { notice(form, "warn", msg("Code")); return; }
      throw error;
    });
  }
  function resetForm(form) {
    form.reset();
    var digest = form.querySelector("input[name=client_code_digest]");
    if (digest) { digest.value = ""; }
    delete form.dataset.digested;
    var id = form.querySelector("input[name=client_id]");
    if (id) { id.value = crypto.randomUUID(); }
    var lat = form.querySelector("input[name=latitude]");
    var geo = form.querySelector("[data-geo-button]");
    if (lat && !lat.value && geo && !geo.hidden) { geo.click(); }
  }
  document.querySelectorAll("form[data-record-form]").forEach(function (form) {
    var kind = Outbox.KIND_OF_FORM[form.dataset.recordForm];
    var id = form.querySelector("input[name=client_id]");
    // A page from the cache carries a client_id already used: give this record its own.
    if (id && (!id.value || usedIds().indexOf(id.value.toLowerCase()) >= 0)) { id.value = crypto.randomUUID(); }
    var time = form.querySelector("input[name=occurred_at]");
    if (time && time.value === time.defaultValue && time.value &&
        Date.now() - new Date(time.value).getTime() > 10 * 60 * 1000) {
      time.value = Outbox.localInput(new Date());
    }
    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented || !kind) { return; } // app.js digests the client code first
      if (id) { markUsed(id.value.toLowerCase()); }
      if (navigator.onLine) { return; } // posted; if the post fails the service worker keeps it
      event.preventDefault();
      keepForm(form, kind, event.submitter).catch(function (error) {
        notice(form, "warn", msg("Failed"));
        if (window.console) { console.error(error); }
      });
    });
  });

  // ---- The outbox page: what is waiting, and what the server refused (with its reasons).
  var list = document.querySelector("[data-outbox-list]");
  if (list && location.search.indexOf("unavailable") >= 0) {
    var away = document.querySelector("[data-outbox-unavailable]");
    if (away) { away.hidden = false; }
  }
  function cell(row, content) {
    var td = document.createElement("td");
    if (content instanceof Node) { td.appendChild(content); } else { td.textContent = content; }
    row.appendChild(td);
    return td;
  }
  function button(label, className, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn small " + className;
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }
  function renderList(rows) {
    if (!list) { return; }
    var d = list.dataset;
    var mine = rows.filter(isMine);
    var body = list.querySelector("tbody");
    body.textContent = "";
    mine.forEach(function (r) {
      var tr = document.createElement("tr");
      tr.dataset.clientId = r.client_id;
      var th = document.createElement("th");
      th.scope = "row";
      th.textContent = d["kind" + r.kind.replace(/(^|_)(\w)/g, function (m, a, b) { return b.toUpperCase(); })] || r.kind;
      tr.appendChild(th);
      cell(tr, new Date(r.saved_at).toLocaleString(document.documentElement.lang || undefined));
      var size = r.data.quantity !== undefined ? d.msgKits : (r.data.people_count !== undefined ? d.msgPeople : "");
      cell(tr, size ? size.replace("{n}", r.data.quantity !== undefined ? r.data.quantity : r.data.people_count) : "");
      var status = cell(tr, r.state === "refused" ? d.stateRefused : d.stateWaiting);
      if (r.state === "refused") {
        var reasons = document.createElement("ul");
        reasons.className = "plain error";
        (r.errors || []).forEach(function (e) {
          var li = document.createElement("li");
          li.textContent = (e.field ? e.field + ": " : "") + e.reason;
          reasons.appendChild(li);
        });
        status.appendChild(reasons);
      }
      var actions = document.createElement("div");
      actions.className = "actions";
      if (r.state === "refused") {
        actions.appendChild(button(d.msgRetry, "secondary", function () {
          r.state = "waiting"; r.errors = [];
          Outbox.update(r).then(sendAll);
        }));
      }
      actions.appendChild(button(d.msgDelete, "secondary", function () {
        if (window.confirm(d.msgConfirm)) { Outbox.remove(r.client_id).then(render); }
      }));
      cell(tr, actions);
      body.appendChild(tr);
    });
    if (!mine.length) {
      var empty = document.createElement("tr");
      cell(empty, d.msgEmpty).colSpan = 5;
      body.appendChild(empty);
    }
    var others = document.querySelector("[data-outbox-others]");
    if (others) {
      var n = rows.length - mine.length;
      others.hidden = n === 0;
      others.textContent = others.dataset.msg.replace("{n}", n);
    }
  }

  // ---- My bag: the kits of handouts waiting to send have left the bag already.
  var bagRows = Array.prototype.slice.call(document.querySelectorAll("[data-bag-row]"));
  var bagNote = document.querySelector("[data-bag-pending]");
  function renderBag(mine) {
    if (!bagRows.length) { return; }
    var left = bagRows.map(function (tr) { return Number(tr.dataset.qty); });
    var order = bagRows.map(function (tr, i) { return i; }).sort(function (a, b) {
      return bagRows[a].dataset.expiry < bagRows[b].dataset.expiry ? -1 : 1;
    });
    var pending = mine.filter(function (r) {
      return r.state !== "refused" && (r.kind === "handout" || r.kind === "tally");
    });
    pending.forEach(function (r) {
      var need = Number(r.data.quantity) || 0;
      order.forEach(function (i) {
        var tr = bagRows[i];
        var match = r.data.batch_id ? String(r.data.batch_id) === tr.dataset.batchId
          : String(r.data.product_id) === tr.dataset.productId;
        if (!match || need <= 0) { return; }
        var take = r.data.batch_id ? need : Math.min(need, left[i]);
        left[i] -= take;
        need -= take;
      });
    });
    bagRows.forEach(function (tr, i) {
      var qty = tr.querySelector("[data-bag-qty]");
      if (qty) { qty.textContent = String(Math.max(0, left[i])); }
    });
    if (bagNote) {
      bagNote.hidden = pending.length === 0;
      bagNote.textContent = pending.length === 1 ? bagNote.dataset.msgOne
        : bagNote.dataset.msgOther.replace("{n}", pending.length);
    }
  }

  sendAll(); // every page load: the app has opened
})();
