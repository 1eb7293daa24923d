/* "Where to get naloxone" where JavaScript runs (the list works without it): "Use my position"
   sends the position rounded to about a kilometre; the map of the listed places (the app's own
   Leaflet, most of the page's weight) loads at once on a wide screen, on a phone when asked. */
(function () {
  "use strict";
  var doc = document;

  function nearMe() {
    var form = doc.querySelector("[data-search]");
    var row = form && form.querySelector("[data-near]");
    if (!row || !("geolocation" in navigator)) { return; }
    var button = row.querySelector("[data-near-me]");
    var status = form.querySelector("[data-near-status]");
    row.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = form.dataset.msgFinding;
      navigator.geolocation.getCurrentPosition(function (pos) {
        var lang = form.querySelector("input[name=lang]").value;
        window.location.href = form.action + "?lang=" + encodeURIComponent(lang) +
          "&lat=" + pos.coords.latitude.toFixed(2) + "&lon=" + pos.coords.longitude.toFixed(2);
      }, function () {
        status.textContent = form.dataset.msgFailed;
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
    });
  }

  function draw(box) {
    var L = window.L;
    var map = L.map(box, { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
    if (box.dataset.tiles) {
      L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 19 }).addTo(map);
    }
    var points = [];
    doc.querySelectorAll(".sites [data-lat]").forEach(function (item) {
      var point = [parseFloat(item.dataset.lat), parseFloat(item.dataset.lon)];
      var link = doc.createElement("a");
      link.href = "#" + item.id;
      link.textContent = item.querySelector("h3").textContent;
      L.circleMarker(point, { radius: 10, color: "#0b5d4b", weight: 3, fillColor: "#2e9c7f", fillOpacity: 0.9 })
        .bindPopup(link).addTo(map);
      points.push(point);
    });
    if (box.dataset.hereLat) { // the place searched, and the view fits the three nearest
      var here = [parseFloat(box.dataset.hereLat), parseFloat(box.dataset.hereLon)];
      L.circleMarker(here, { radius: 7, color: "#1b1f23", weight: 3, fillColor: "#f2b705", fillOpacity: 1 })
        .bindTooltip(box.dataset.hereName).addTo(map);
      points = points.slice(0, 3).concat([here]);
    }
    map.fitBounds(points, { padding: [24, 24], maxZoom: 15 });
  }

  function showMap(box, tools, focus) {
    tools.hidden = true;
    box.hidden = false;
    var css = doc.createElement("link");
    css.rel = "stylesheet";
    css.href = box.dataset.leafletCss;
    doc.head.appendChild(css);
    var script = doc.createElement("script");
    script.src = box.dataset.leafletJs;
    script.addEventListener("load", function () {
      draw(box);
      if (focus) { box.focus(); } // Leaflet made the map focusable: the arrow keys pan it
    });
    doc.body.appendChild(script);
  }

  function mapOfPlaces() {
    var box = doc.querySelector("[data-map]");
    var tools = doc.querySelector("[data-map-tools]");
    if (!box || !tools) { return; }
    if (window.matchMedia("(min-width: 48em)").matches) { showMap(box, tools, false); return; }
    tools.hidden = false;
    tools.querySelector("[data-show-map]").addEventListener("click", function () {
      showMap(box, tools, true);
    });
  }

  nearMe();
  mapOfPlaces();
})();
