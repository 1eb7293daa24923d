/* Outreach outbox page and bag: what waits on this tablet, each record with its own time (on the
   organisation's clock, written the user's way), product and kits, and the reasons the server gave
   for a refusal, by the fields' labels; the bag less the kits of handouts still waiting. */
(function () {
  "use strict";
  var offline = window.outreachOffline;
  // Absent, or an older outbox.js still served by the previous worker during an app update.
  if (!offline || !offline.hooks) { return; }
  var Outbox = self.OutreachOutbox;
  var Time = self.OutreachTime;

  function json(el, name, fallback) {
    try { return JSON.parse(el.dataset[name] || ""); } catch (e) { return fallback; }
  }
  function make(tag, className, content) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (content !== undefined) { el.textContent = content; }
    return el;
  }
  function button(label, onClick) {
    var b = make("button", "btn secondary", label);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  // ---- The outbox page.
  var list = document.querySelector("[data-outbox-list]");
  if (list) {
    var d = list.dataset;
    var products = json(list, "products", {});
    var labels = json(list, "labels", {});
    var pages = json(list, "pages", {});
    var timeFormat = json(list, "timeFormat", { pattern: "y-MM-dd HH:mm", months: [] });
    if (location.search.indexOf("unavailable") >= 0) {
      var away = document.querySelector("[data-outbox-unavailable]");
      if (away) { away.hidden = false; }
    }
    var kindName = function (kind) {
      return d["kind" + kind.replace(/(^|_)(\w)/g, function (m, a, b) { return b.toUpperCase(); })] || kind;
    };
    var reason = function (kind, error) {
      var field = String(error.field || "").replace(/^data\./, "").split(".")[0];
      var label = (labels[kind] || {})[field];
      return label ? label + ": " + error.reason : error.reason;
    };
    var item = function (r) {
      var li = make("li", "card outbox-item" + (r.state === "refused" ? " refused" : ""));
      li.dataset.clientId = r.client_id;
      var product = r.data.product_id !== undefined ? products[r.data.product_id] : "";
      li.appendChild(make("h2", "outbox-title", product ? kindName(r.kind) + " · " + product : kindName(r.kind)));
      var facts = make("p", "outbox-facts");
      var ms = Date.parse(r.data.occurred_at || r.saved_at);
      if (!isNaN(ms)) {
        var when = make("time", "", Time.format(ms, offline.zone, timeFormat));
        when.dateTime = new Date(ms).toISOString();
        facts.appendChild(when);
      }
      var size = r.data.quantity !== undefined ? d.msgKits.replace("{n}", r.data.quantity)
        : (r.data.people_count !== undefined ? d.msgPeople.replace("{n}", r.data.people_count) : "");
      if (size) { facts.appendChild(make("span", "", " · " + size)); }
      li.appendChild(facts);
      li.appendChild(make("p", "outbox-state", r.state === "refused" ? d.stateRefused : d.stateWaiting));
      var actions = make("div", "actions");
      if (r.state === "refused") {
        var reasons = make("ul", "plain error");
        (r.errors || []).forEach(function (e) { reasons.appendChild(make("li", "", reason(r.kind, e))); });
        li.appendChild(reasons);
        if (pages[r.kind]) {
          var correct = make("a", "btn primary", d.msgCorrect);
          correct.href = pages[r.kind] + "?correct=" + encodeURIComponent(r.client_id);
          actions.appendChild(correct);
        }
        actions.appendChild(button(d.msgRetry, function () {
          r.state = "waiting"; r.errors = [];
          Outbox.update(r).then(offline.send);
        }));
      }
      actions.appendChild(button(d.msgDelete, function () {
        if (window.confirm(d.msgConfirm)) { Outbox.remove(r.client_id).then(offline.render); }
      }));
      li.appendChild(actions);
      return li;
    };
    offline.hooks.push(function (rows, mine) {
      list.textContent = "";
      mine.forEach(function (r) { list.appendChild(item(r)); });
      if (!mine.length) { list.appendChild(make("li", "muted", d.msgEmpty)); }
      var others = document.querySelector("[data-outbox-others]");
      if (others) {
        var n = rows.length - mine.length;
        others.hidden = n === 0;
        others.textContent = others.dataset.msg.replace("{n}", n);
      }
    });
  }

  // ---- My bag: the kits of handouts waiting to send have left the bag already.
  var bagRows = Array.prototype.slice.call(document.querySelectorAll("[data-bag-row]"));
  var bagNote = document.querySelector("[data-bag-pending]");
  if (!bagRows.length) { return; }
  offline.hooks.push(function (rows, mine) {
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
  });
  // The bag was drawn before these handouts reached the server: draw it again.
  offline.onStored = function () { if (navigator.onLine) { location.reload(); } };
})();
