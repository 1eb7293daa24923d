/* Outreach service worker: keeps the peer's pages for offline use and keeps failed form posts.
   Served by outreach/offline/routes.py, which fills in the version, the pages and the assets. */
"use strict";
importScripts("/static/js/localtime.js", "/static/js/outbox-store.js");

const VERSION = "__VERSION__";
const PAGES_CACHE = "outreach-pages-" + VERSION;
const STATIC_CACHE = "outreach-static-" + VERSION;
const PAGES = ["__PAGES__"];
const ASSETS = ["__ASSETS__"];
const REFRESH_EVERY_MS = 30 * 1000;
const Outbox = self.OutreachOutbox;

let generation = 0; // bumped on logout, so a refresh already under way stores nothing
let lastRefresh = 0;
let refreshing = null;

/* A page answered by the login page: the session has ended on the server (timeout, logout on
   another device, a new password). The kept pages go, and with them the tablet key they carry. */
function endedSession(res) {
  return res.redirected && new URL(res.url).pathname === "/login";
}

/* Fetch the pages and assets again and keep what came back whole (a redirect to the login page
   means no session: nothing is kept, and what was kept goes). */
async function refresh() {
  const gen = generation;
  const [pages, statics] = await Promise.all([caches.open(PAGES_CACHE), caches.open(STATIC_CACHE)]);
  await Promise.all(ASSETS.map(async (url) => {
    try {
      const res = await fetch(url, { cache: "no-cache" });
      if (res.ok) { await statics.put(url, res); }
    } catch (e) { /* offline: keep the old copy */ }
  }));
  await Promise.all(PAGES.map(async (url) => {
    try {
      // Marked as a background copy: the server leaves a flashed "Saved." for the page the
      // person is about to see, and the kept copy carries no message.
      const res = await fetch(url, {
        credentials: "same-origin", cache: "no-store", headers: { "X-Outreach-Background": "1" }
      });
      if (endedSession(res)) { await clearPages(); return; }
      if (res.ok && !res.redirected && gen === generation) { await pages.put(url, res); }
    } catch (e) { /* offline: keep the old copy */ }
  }));
  lastRefresh = Date.now();
}

function refreshOnce(force) {
  // Forced (the language changed, records arrived): a refresh already under way may hold the
  // old pages, so a new one follows it.
  if (force && refreshing) {
    refreshing = refreshing.then(refresh).finally(() => { refreshing = null; });
    return refreshing;
  }
  if (!force && Date.now() - lastRefresh < REFRESH_EVERY_MS) { return Promise.resolve(); }
  if (!refreshing) { refreshing = refresh().finally(() => { refreshing = null; }); }
  return refreshing;
}

async function clearPages() {
  generation += 1;
  const names = await caches.keys();
  await Promise.all(names.filter((n) => n.startsWith("outreach-pages-")).map((n) => caches.delete(n)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(refreshOnce(true).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((n) => n.startsWith("outreach-") && n !== PAGES_CACHE && n !== STATIC_CACHE)
      .map((n) => caches.delete(n)));
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const type = event.data && event.data.type;
  const port = event.ports && event.ports[0];
  const reply = (message) => { if (port) { port.postMessage(message); } };
  if (type === "refresh") {
    const force = Boolean(event.data.force);
    event.waitUntil(refreshOnce(force).then(() => reply({ type: "refreshed", version: VERSION })));
  } else if (type === "logout") {
    event.waitUntil(clearPages().then(() => reply({ type: "cleared" })));
  }
});

async function cacheFirst(request) {
  const hit = await caches.match(request, { cacheName: STATIC_CACHE, ignoreSearch: true });
  if (hit) { return hit; }
  const res = await fetch(request);
  if (res.ok) {
    const copy = res.clone();
    caches.open(STATIC_CACHE).then((c) => c.put(request, copy));
  }
  return res;
}

async function networkFirst(request, url) {
  const keep = PAGES.includes(url.pathname) && !url.search;
  try {
    const res = await fetch(request);
    // The login page itself (a logged-in person asking for it is sent home instead): no session.
    // A navigation's redirect reaches the worker opaque, so it is the page that tells.
    if (url.pathname === "/login" && res.ok && res.type === "basic") { await clearPages(); }
    if (keep && res.ok && !res.redirected && res.type === "basic") {
      const copy = res.clone();
      const gen = generation;
      caches.open(PAGES_CACHE).then((c) => (gen === generation ? c.put(url.pathname, copy) : null));
    }
    return res;
  } catch (e) {
    const hit = await caches.match(url.pathname, { cacheName: PAGES_CACHE });
    if (hit) { return hit; }
    const outbox = await caches.match("/offline/outbox", { cacheName: PAGES_CACHE });
    if (outbox && url.pathname !== "/offline/outbox") {
      return Response.redirect("/offline/outbox?unavailable=1", 302);
    }
    throw e;
  }
}

/* A record form that could not be sent goes to the outbox whole (the client code's digest with
   it, never its parts: app.js replaced them before the post). Kept: no answer at all (the same
   client_id, so if the server did store it the sync answers "already stored"), a server error,
   or an answer saying nothing was stored and the record should be kept (X-Outreach-Keep: the
   form's token had expired). The "saved" page says why. */
async function postOrKeep(request, kind) {
  const copy = request.clone();
  let why = "offline";
  try {
    const res = await fetch(request);
    why = res.headers.get("X-Outreach-Keep") || (res.status >= 500 ? "server" : "");
    if (!why) { return res; }
  } catch (e) { /* no answer: keep it below */ }
  const form = await copy.formData();
  const entries = [];
  form.forEach((value, name) => { if (typeof value === "string") { entries.push([name, value]); } });
  const who = await Outbox.getUser();
  const record = await Outbox.buildRecord(kind, entries, { strict: false, zone: self.OutreachTime.known(who.zone) });
  await Outbox.put(record, who.id || null);
  Outbox.announce();
  return Response.redirect("/offline/saved?kind=" + encodeURIComponent(kind) + "&why=" + why, 303);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.method === "POST") {
    if (url.pathname === "/logout") { event.waitUntil(clearPages()); return; }
    const kind = Outbox.KIND_OF_PATH[url.pathname];
    if (kind && request.mode === "navigate") { event.respondWith(postOrKeep(request, kind)); }
    return;
  }
  if (request.method !== "GET" || url.pathname.startsWith("/api/")) { return; } // never cached
  if (url.pathname.startsWith("/static/")) { event.respondWith(cacheFirst(request)); return; }
  if (request.mode === "navigate") { event.respondWith(networkFirst(request, url)); }
});
