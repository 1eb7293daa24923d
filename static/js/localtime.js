/* Outreach local time: wall-clock times in the organisation's zone, whatever zone the tablet's
   system clock is set to (the page names the zone in <meta name="outreach-zone">). Shared by the
   pages and the service worker. The rules are the server's (outreach/timezones.py): a time the
   spring change skips never happened; a time the autumn change repeats is its first occurrence. */
(function (root) {
  "use strict";
  var DEFAULT_ZONE = "Europe/London";
  var HOUR = 3600 * 1000;
  var formatters = {};

  function formatter(zone) {
    if (!formatters[zone]) {
      formatters[zone] = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", second: "2-digit"
      });
    }
    return formatters[zone];
  }
  // The zone itself when this browser knows it, else the default one.
  function known(zone) {
    try { formatter(zone || DEFAULT_ZONE); return zone || DEFAULT_ZONE; } catch (e) { return DEFAULT_ZONE; }
  }
  // The wall clock in `zone` at the instant `ms`.
  function wall(ms, zone) {
    var p = {};
    formatter(known(zone)).formatToParts(new Date(ms)).forEach(function (part) { p[part.type] = Number(part.value); });
    return { y: p.year, mo: p.month, d: p.day, h: p.hour % 24, mi: p.minute, s: p.second };
  }
  function wallNumber(w) { return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s || 0); }
  function offset(ms, zone) {
    var whole = Math.floor(ms / 1000) * 1000;
    return wallNumber(wall(whole, zone)) - whole;
  }

  var LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;
  /* A datetime-local value ("2026-11-17T21:30") on the zone's clock as an instant (ms since the
     epoch); null when the clocks skipped that time; NaN when it cannot be read. */
  function toInstant(value, zone) {
    var m = LOCAL.exec(String(value || "").trim());
    if (!m) { return NaN; }
    var w = { y: +m[1], mo: +m[2], d: +m[3], h: +m[4], mi: +m[5], s: +(m[6] || 0) };
    var target = wallNumber(w);
    var check = new Date(target);
    if (check.getUTCMonth() !== w.mo - 1 || check.getUTCDate() !== w.d || w.h > 23 || w.mi > 59) { return NaN; }
    // The instant lies within 14 hours of the wall time: try the offsets before and after.
    var found = [offset(target - 14 * HOUR, zone), offset(target + 14 * HOUR, zone)]
      .map(function (off) { return target - off; })
      .filter(function (ms) { return wallNumber(wall(ms, zone)) === target; });
    return found.length ? Math.min.apply(null, found) : null;
  }

  function pad(n) { return String(n).padStart(2, "0"); }
  // The instant, written on the zone's clock with its offset: "2026-11-17T21:30:00+00:00".
  function iso(ms, zone) {
    var w = wall(ms, zone);
    var off = Math.round(offset(ms, zone) / 60000);
    var sign = off < 0 ? "-" : "+";
    off = Math.abs(off);
    return w.y + "-" + pad(w.mo) + "-" + pad(w.d) + "T" + pad(w.h) + ":" + pad(w.mi) + ":" + pad(w.s) +
      sign + pad(Math.floor(off / 60)) + ":" + pad(off % 60);
  }
  // A datetime-local value showing the instant on the zone's clock.
  function input(ms, zone) {
    var w = wall(ms, zone);
    return w.y + "-" + pad(w.mo) + "-" + pad(w.d) + "T" + pad(w.h) + ":" + pad(w.mi);
  }
  /* The instant as the user's language writes it: `fmt` is a CLDR pattern and the month names,
     rendered by the page from the server's locale data (this browser's Intl may know no Welsh). */
  function format(ms, zone, fmt) {
    var w = wall(ms, zone);
    return fmt.pattern.replace(/'([^']*)'|y+|M+|d+|H+|h+|m+|a/g, function (token, quoted) {
      if (quoted !== undefined) { return quoted === "" ? "'" : quoted; }
      var two = token.length === 2;
      switch (token[0]) {
        case "y": return two ? pad(w.y % 100) : String(w.y);
        case "M": return token.length > 2 ? fmt.months[w.mo - 1] : (two ? pad(w.mo) : String(w.mo));
        case "d": return two ? pad(w.d) : String(w.d);
        case "H": return two ? pad(w.h) : String(w.h);
        case "h": return two ? pad(w.h % 12 || 12) : String(w.h % 12 || 12);
        case "m": return pad(w.mi);
        default: return w.h < 12 ? "AM" : "PM";
      }
    });
  }

  root.OutreachTime = { known: known, toInstant: toInstant, iso: iso, input: input, format: format };
})(self);
