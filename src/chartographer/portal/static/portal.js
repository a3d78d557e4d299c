// Chartographer portal: copy buttons, the live usage counter (SSE) and the playground.
// Served by the service (no CDN); the CSP allows scripts from 'self' only.
"use strict";

function setupCopy() {
  document.querySelectorAll("button.copy").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.copy);
      if (!source) { return; }
      var text = source.textContent;
      var done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, done);
      } else {
        var range = document.createRange();
        range.selectNodeContents(source);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
        done();
      }
    });
  });
}

// The seeds' SSE technique: EventSource with "start", "message" and "end" events.
function setupLive() {
  var counter = document.getElementById("live-count");
  if (!counter || !window.EventSource) { return; }
  var connect = function () {
    var source = new EventSource(counter.dataset.source);
    source.addEventListener("message", function (event) {
      counter.textContent = String(JSON.parse(event.data).today);
    });
    source.addEventListener("end", function () {
      source.close();
      window.setTimeout(connect, 1000);
    });
  };
  connect();
}

var GOOGLE_KINDS = { bar: "bvg", line: "lc", pie: "p" };

// encodeURIComponent, keeping the commas and bars that make chart URLs readable
function enc(text) {
  return encodeURIComponent(text).replace(/%2C/g, ",").replace(/%7C/g, "|");
}

function setupPlayground() {
  var form = document.getElementById("playground");
  if (!form) { return; }
  var root = form.dataset.root || "";
  var image = document.getElementById("p-image");
  var update = function () {
    var kind = form.elements.kind.value;
    var values = form.elements.values.value.replace(/\s+/g, "");
    var labels = form.elements.labels.value.trim();
    var key = form.elements.key ? form.elements.key.value.trim() : "";
    var native, google;
    if (kind === "map") {
      native = root + "/v1/maps?center=" + enc(values) + "&zoom=4&width=500&height=300";
      google = root + "/maps/api/staticmap?center=" + enc(values) + "&zoom=4&size=500x300";
    } else {
      native = root + "/v1/charts/" + kind + "?values=" + enc(values) +
        "&labels=" + enc(labels) + "&width=500&height=300";
      google = root + "/chart?cht=" + GOOGLE_KINDS[kind] + "&chs=500x300&chd=t:" +
        enc(values) + (kind === "pie" ? "&chl=" : "&chxt=x&chxl=0:|") +
        enc(labels.split(",").join("|")) + "&chds=a";
    }
    if (key) {
      native += "&key=" + encodeURIComponent(key);
      google += "&key=" + encodeURIComponent(key);
    }
    image.src = native;
    document.getElementById("p-native").textContent = native;
    document.getElementById("p-google").textContent = google;
  };
  form.addEventListener("input", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  update();
}

document.addEventListener("DOMContentLoaded", function () {
  setupCopy();
  setupLive();
  setupPlayground();
});
