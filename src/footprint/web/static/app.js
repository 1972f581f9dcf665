// Draws the charts of a result page and shows progress while a BOM uploads.
// Figures arrive as JSON in <script type="application/json" data-figure="ID"> blocks.
"use strict";

function drawFigures() {
  if (typeof Plotly === "undefined") {
    return;
  }
  document.querySelectorAll("script[data-figure]").forEach(function (block) {
    var target = document.getElementById(block.dataset.figure);
    if (!target) {
      return;
    }
    var figure = JSON.parse(block.textContent);
    var layout = figure.layout || {};
    layout.autosize = true;
    Plotly.newPlot(target, figure.data || [], layout, {
      responsive: true,
      displaylogo: false,
    });
  });
}

function watchUpload() {
  var form = document.getElementById("assess-form");
  if (!form) {
    return;
  }
  form.addEventListener("submit", function () {
    var button = document.getElementById("assess-button");
    var busy = document.getElementById("busy");
    if (button) {
      button.disabled = true;
    }
    if (busy) {
      busy.hidden = false;
    }
  });
  // a page restored from the back/forward cache must be usable again
  window.addEventListener("pageshow", function () {
    var button = document.getElementById("assess-button");
    var busy = document.getElementById("busy");
    if (button) {
      button.disabled = false;
    }
    if (busy) {
      busy.hidden = true;
    }
  });
}

document.addEventListener("DOMContentLoaded", function () {
  drawFigures();
  watchUpload();
});
