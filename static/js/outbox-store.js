/* Outreach outbox store: records saved with no signal wait in IndexedDB until the server confirms
   them. Shared by the pages and the service worker (self.OutreachOutbox): the database, and
   turning a form's fields into the API's record (outreach/api/schemas.py). Needs localtime.js. */
(function (root) {
  "use strict";
  var Time = root.OutreachTime;
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
  // The API's field names, which follow the forms' names.
  var FIELDS = {
    handout: Object.assign({
      product_id: "id", quantity: "int", supply: "text", setting: "text", recipient_type: "text",
      repeat_reason: "text", previous_source: "text", training_given: "bool", batch_id: "id",
      batch_label: "text", giver_id: "id", client_code_digest: "text", age_band: "text", sex: "text"
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
      emergency_called: "yesno", someone_stayed: "yesno", taken_to_hospital: "yesno", referred: "yesno",
      place_type: "text", product_id: "id", client_code_digest: "text", age_band: "text", sex: "text"
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

  // The client code, as outreach/clientcode.py code_digest makes it: HMAC-SHA256 of
  // "II|YYYY-MM-DD|S" under the tablet key the form page carries (data-code-key). What the
  // outbox keeps of a code cannot be tested against guessed birth dates without that key, which
  // only the logged-in pages hold (the worker drops them at logout). static/js/app.js uses it.
  function normaliseInitials(s) {
    return Array.from((s || "").normalize("NFC").toUpperCase()).filter(function (c) {
      return c.toLowerCase() !== c.toUpperCase();
    }).join("");
  }
  function codeDigest(initials, dob, sex, keyHex) {
    if (!/^[0-9a-f]{64}$/.test(keyHex || "")) { return Promise.reject(new Error("client_code")); }
    var raw = new Uint8Array(keyHex.match(/../g).map(function (h) { return parseInt(h, 16); }));
    var code = normaliseInitials(initials) + "|" + dob + "|" + (sex || "").toUpperCase();
    return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"])
      .then(function (key) { return crypto.subtle.sign("HMAC", key, new TextEncoder().encode(code)); })
      .then(function (buf) {
        return Array.from(new Uint8Array(buf)).map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
      });
  }

  // The age band on a local day ("YYYY-MM-DD"), as outreach/demographics.py age_band works it
  // out: whole years from the birth date (someone born on 29 February turns a year older on
  // 1 March in a common year); "" when unknown (no date, or one after the day).
  var BANDS = [["55_plus", 55], ["45_54", 45], ["35_44", 35], ["25_34", 25], ["18_24", 18], ["under_18", 0]];
  var DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
  function ageBand(birth, day) {
    var b = DAY.exec(birth || ""), d = DAY.exec(day || "");
    if (!b || !d || birth > day) { return ""; }
    var notYet = +d[2] < +b[2] || (+d[2] === +b[2] && +d[3] < +b[3]);
    var age = (+d[1]) - (+b[1]) - (notYet ? 1 : 0);
    for (var i = 0; i < BANDS.length; i++) { if (age >= BANDS[i][1]) { return BANDS[i][0]; } }
    return "";
  }
  // The local day of a record whose time field holds `typed` (on the organisation's clock, so
  // its date is the day); an empty time means now, on that clock.
  function recordDay(typed, zone) {
    var m = /^(\d{4}-\d{2}-\d{2})T/.exec(String(typed || "").trim());
    return m ? m[1] : Time.input(Date.now(), zone).slice(0, 10);
  }

  // Unreadable values are kept as typed: the server refuses them with a reason, shown in the outbox.
  var CONVERT = {
    text: function (v) { v = v[0].trim(); return v === "" ? undefined : v; },
    int: function (v) { v = v[0].trim(); return v === "" ? undefined : (/^-?\d+$/.test(v) ? parseInt(v, 10) : v); },
    float: function (v) { v = v[0].trim(); return v === "" ? undefined : (isFinite(Number(v)) ? Number(v) : v); },
    id: function (v) { v = CONVERT.int(v); return v === 0 ? undefined : v; },
    bool: function (v) { return v.length > 0 && v[0] !== ""; },
    yesno: function (v) { return { yes: true, no: false }[v[0]]; },
    list: function (v) { return v.filter(function (x) { return x !== ""; }); },
    // A datetime-local value: a time on the organisation's clock, not the tablet's.
    time: function (v, zone) {
      v = v[0].trim();
      if (v === "") { return undefined; }
      var ms = Time.toInstant(v, zone);
      return typeof ms === "number" && !isNaN(ms) ? Time.iso(ms, zone) : v;
    }
  };

  /* The API record of a form's [name, value] pairs, times read on `options.zone`'s clock. The
     client code's parts are turned into the digest (with `options.codeKey`, the page's tablet
     key), the birth date into the age band on the record's local day, and the parts dropped
     here, before anything is stored: the outbox never holds them. Without a key (the worker,
     which has no page) a code not digested yet is left out, or refused when `options.strict`.
     Parts the page's script already turned into a digest, band and sex (static/js/app.js) come
     as those. */
  function buildRecord(kind, entries, options) {
    var values = {};
    entries.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
    var one = function (name) { return ((values[name] || [""])[0] || "").trim(); };
    var parts = [one("client_initials"), one("client_dob"), one("client_sex")];
    if (parts[1] || parts[2]) {
      values.age_band = [ageBand(parts[1], recordDay(one("occurred_at"), options.zone))];
      values.sex = [parts[2].toUpperCase()];
    }
    var digest = one("client_code_digest");
    var ready = Promise.resolve(digest);
    if (!digest && parts.some(Boolean)) {
      var complete = parts.every(Boolean) && normaliseInitials(parts[0]).length === 2;
      if (!complete && options.strict) { return Promise.reject(new Error("client_code")); }
      if (complete && !options.codeKey && options.strict) { return Promise.reject(new Error("client_code")); }
      ready = complete && options.codeKey
        ? codeDigest(parts[0], parts[1], parts[2], options.codeKey) : Promise.resolve("");
    }
    return ready.then(function (code) {
      values.client_code_digest = code ? [code] : [];
      var data = {};
      Object.keys(FIELDS[kind]).forEach(function (name) {
        var type = FIELDS[kind][name];
        if (!(values[name] || []).length && type !== "bool" && type !== "list") { return; }
        var value = CONVERT[type](values[name] || [], options.zone);
        if (value !== undefined) { data[name] = value; }
      });
      if (!data.occurred_at) { data.occurred_at = Time.iso(Date.now(), options.zone); }
      var id = one("client_id") || crypto.randomUUID();
      return { kind: kind, client_id: id.toLowerCase(), data: data };
    });
  }
  function missing(kind, record) {
    return REQUIRED[kind].filter(function (name) { return record.data[name] === undefined; });
  }
  function row(record, user) {
    return Object.assign({}, record, { user: user || null, saved_at: new Date().toISOString(),
      state: "waiting", errors: [], http_status: null });
  }

  function announce() {
    if (typeof BroadcastChannel !== "undefined") { new BroadcastChannel(CHANNEL).postMessage("changed"); }
  }
  root.OutreachOutbox = {
    KIND_OF_PATH: KIND_OF_PATH, KIND_OF_FORM: KIND_OF_FORM, CHANNEL: CHANNEL, FIELDS: FIELDS,
    buildRecord: buildRecord, missing: missing, announce: announce, codeDigest: codeDigest,
    ageBand: ageBand, recordDay: recordDay,
    all: function () {
      return run(STORE, "readonly", function (s) { return s.getAll(); }).then(function (rows) {
        return rows.sort(function (a, b) { return a.saved_at < b.saved_at ? -1 : 1; });
      });
    },
    get: function (id) { return run(STORE, "readonly", function (s) { return s.get(id); }); },
    put: function (record, user) { return run(STORE, "readwrite", function (s) { return s.put(row(record, user)); }); },
    // A corrected record takes the place of the refused one, in one transaction.
    replace: function (oldId, record, user) {
      return run(STORE, "readwrite", function (s) {
        if (oldId !== record.client_id) { s.delete(oldId); }
        return s.put(row(record, user));
      });
    },
    update: function (r) { return run(STORE, "readwrite", function (s) { return s.put(r); }); },
    remove: function (id) { return run(STORE, "readwrite", function (s) { return s.delete(id); }); },
    // Who is logged in on this tablet, and the organisation's zone (read by the service worker).
    getUser: function () {
      return run(META, "readonly", function (s) { return s.get("user"); }).then(function (r) { return r || {}; });
    },
    setUser: function (id, zone) {
      return run(META, "readwrite", function (s) { return s.put({ key: "user", id: id, zone: zone }); });
    }
  };
})(self);
