// Draws the charts of a result page, and runs an upload as a job whose progress it shows.
// Figures arrive as JSON in <script type="application/json" data-figure="ID"> blocks.
// Without this script the form posts to / and the result page follows when it is ready.
"use strict";

var POLL_MS = 500;

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

function showProgress(fraction, message) {
  var box = document.getElementById("progress");
  var bar = document.getElementById("progress-bar");
  var text = document.getElementById("progress-text");
  if (box) {
    box.hidden = false;
  }
  if (bar && fraction !== null) {
    bar.value = fraction;
    bar.textContent = Math.round(fraction * 100) + " %";
  }
  if (text) {
    text.textContent = message;
  }
}

function setBusy(busy) {
  var button = document.getElementById("assess-button");
  var label = document.getElementById("busy");
  if (button) {
    button.disabled = busy;
  }
  if (label) {
    label.hidden = !busy;
  }
}

// Poll a job until it is done (open its result) or failed (open its page: the problems).
function followJob(jobId) {
  var request = new XMLHttpRequest();
  request.open("GET", "/api/jobs/" + encodeURIComponent(jobId));
  request.responseType = "json";
  request.onload = function () {
    var status = request.response;
    if (request.status !== 200 || !status) {
      window.location.assign("/jobs/" + encodeURIComponent(jobId));
      return;
    }
    showProgress(status.fraction, status.message);
    if (status.state === "done") {
      window.location.assign(status.result);
    } else if (status.state === "failed") {
      window.location.assign(status.page);
    } else {
      window.setTimeout(function () { followJob(jobId); }, POLL_MS);
    }
  };
  request.onerror = function () {
    window.setTimeout(function () { followJob(jobId); }, POLL_MS * 4);
  };
  request.send();
}

function watchUpload() {
  var form = document.getElementById("assess-form");
  if (!form) {
    return;
  }
  form.addEventListener("submit", function (event) {
    if (typeof FormData === "undefined" || form.dataset.plain === "1") {
      setBusy(true);
      return; // the plain form post
    }
    event.preventDefault();
    setBusy(true);
    showProgress(0, "Uploading…");
    var request = new XMLHttpRequest();
    request.open("POST", "/api/jobs");
    request.responseType = "json";
    request.upload.onprogress = function (progress) {
      if (progress.lengthComputable && progress.total > 0) {
        showProgress(0, "Uploading " + Math.round((100 * progress.loaded) / progress.total) + " %");
      }
    };
    request.onload = function () {
      if (request.status === 202 && request.response) {
        followJob(request.response.id);
      } else {
        // refused before it started (file type, size, engine starting): let the server
        // answer the form itself, with every problem on the page
        form.dataset.plain = "1";
        form.submit();
      }
    };
    request.onerror = function () {
      form.dataset.plain = "1";
      form.submit();
    };
    request.send(new FormData(form));
  });
  // a page restored from the back/forward cache must be usable again
  window.addEventListener("pageshow", function () {
    setBusy(false);
    form.dataset.plain = "";
    var box = document.getElementById("progress");
    if (box) {
      box.hidden = true;
    }
  });
}

// When a BOM is chosen, read it (POST /api/read) and tick the rule sets for its products'
// categories; say which, or warn when none applies.  Only boxes ticked here are unticked
// when another file is chosen.
var readCount = 0;

function sayRules(text, warning) {
  var hint = document.getElementById("rules-hint");
  if (!hint) {
    return;
  }
  hint.hidden = !text;
  hint.textContent = text || "";
  hint.className = warning ? "notice" : "muted";
}

function ruleTitle(box) {
  var title = box.parentNode.querySelector("strong");
  return title ? title.textContent : box.value;
}

function showPreselection(summary) {
  var ticked = [];
  document.querySelectorAll("input[name=rules]").forEach(function (box) {
    if (summary.rule_sets.indexOf(box.value) >= 0) {
      if (!box.checked) {
        box.checked = true;
        box.dataset.auto = "1";
      }
      ticked.push(ruleTitle(box));
    }
  });
  var categories = summary.categories.join(", ");
  if (ticked.length) {
    sayRules("Ticked for the products' categories (" + categories + "): " + ticked.join("; ") +
      ". Untick any you do not want.", false);
  } else if (!summary.categories.length) {
    sayRules("No product of this BOM has a category, so no rule set could be chosen for it: " +
      "give one on the Products sheet, or tick rule sets yourself. Without a rule set " +
      "nothing is checked.", true);
  } else {
    sayRules("No shipped rule set covers these products' categories (" + categories +
      "): nothing is checked unless you tick a rule set yourself.", true);
  }
}

function preselectRules() {
  var input = document.getElementById("file");
  if (!input || !document.getElementById("rules-hint") || typeof FormData === "undefined") {
    return; // not the upload form
  }
  input.addEventListener("change", function () {
    var mine = ++readCount;
    document.querySelectorAll("input[name=rules]").forEach(function (box) {
      if (box.dataset.auto === "1") {
        box.checked = false;
        delete box.dataset.auto;
      }
    });
    if (!input.files || !input.files.length) {
      sayRules("", false);
      return;
    }
    sayRules("Reading " + input.files[0].name + " for its products' categories…", false);
    var data = new FormData();
    data.append("file", input.files[0]);
    var request = new XMLHttpRequest();
    request.open("POST", "/api/read");
    request.responseType = "json";
    request.onload = function () {
      if (mine !== readCount) {
        return; // another file was chosen meanwhile
      }
      var answer = request.response || {};
      if (request.status === 200) {
        showPreselection(answer);
      } else if (request.status === 422 && answer.problems) {
        var first = answer.problems.length ? " First: " + answer.problems[0].message + "." : "";
        sayRules((answer.detail || "The BOM has problems") + "." + first +
          " Assess lists them all, located.", true);
      } else {
        sayRules("", false);
      }
    };
    request.onerror = function () {
      sayRules("", false);
    };
    request.send(data);
  });
}

function watchJobPage() {
  var box = document.querySelector("#progress[data-job]");
  if (box) {
    followJob(box.dataset.job);
  }
}

document.addEventListener("DOMContentLoaded", function () {
  drawFigures();
  watchUpload();
  preselectRules();
  watchJobPage();
});
