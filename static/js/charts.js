/* Draws a Chart.js chart from the data table inside each <figure class="chart"> (see templates/_macros/charts.html).
   The table is the text alternative and the no-JS view: the chart only adds a picture of the same numbers. */
(function () {
  "use strict";

  var PALETTE = ["#0b6e4f", "#c98b1a", "#2f5d8a", "#a23b3b", "#6b4c9a", "#3e8e7e", "#8a6d3b", "#5b6770"];

  function cellValue(cell) {
    var raw = cell.getAttribute("data-value");
    if (raw === null || raw === "") { return null; }
    var number = Number(raw);
    return isNaN(number) ? null : number;
  }

  function readTable(table) {
    var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    var labels = [];
    var series = headers.slice(1).map(function (name) { return { label: name, data: [] }; });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var cells = row.querySelectorAll("th, td");
      labels.push(cells[0].textContent.trim());
      series.forEach(function (set, index) { set.data.push(cells[index + 1] ? cellValue(cells[index + 1]) : null); });
    });
    return { labels: labels, series: series };
  }

  function draw(figure) {
    if (figure.getAttribute("data-chart-drawn") || typeof window.Chart === "undefined") { return; }
    var table = figure.querySelector("table");
    var holder = figure.querySelector(".chart-canvas");
    if (!table || !holder) { return; }
    var kind = figure.getAttribute("data-chart") || "bar";
    var data = readTable(table);
    var horizontal = kind === "hbar" || kind === "stacked-hbar";
    var stacked = kind.indexOf("stacked") === 0;
    var max = figure.getAttribute("data-chart-max");
    var canvas = document.createElement("canvas");
    canvas.setAttribute("role", "img");
    var caption = figure.querySelector("figcaption");
    canvas.setAttribute("aria-label", (caption ? caption.textContent.trim() + ". " : "") + (figure.getAttribute("data-chart-hint") || ""));
    holder.appendChild(canvas);
    if (horizontal) { holder.style.height = Math.max(8, data.labels.length * 2.2 + 4) + "rem"; }
    var valueAxis = { beginAtZero: true, stacked: stacked };
    if (max) { valueAxis.max = Number(max); }
    var categoryAxis = { stacked: stacked, ticks: { autoSkip: false } };
    if (horizontal) {
      // Long names (competencies, units) would push the bars off a phone: shorten the axis label only; the
      // tooltip and the data table keep the whole name.
      var longest = Math.max(12, Math.floor(holder.clientWidth / 16));
      categoryAxis.ticks.callback = function (value) {
        var label = String(this.getLabelForValue(value));
        return label.length > longest ? label.slice(0, longest - 1) + "\u2026" : label;
      };
    }
    new window.Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: {
        labels: data.labels,
        datasets: data.series.map(function (set, index) {
          var colour = PALETTE[index % PALETTE.length];
          return { label: set.label, data: set.data, backgroundColor: colour, borderColor: colour, spanGaps: true };
        })
      },
      options: {
        indexAxis: horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: data.series.length > 1, position: "bottom" } },
        scales: horizontal ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis }
      }
    });
    figure.setAttribute("data-chart-drawn", "1");
    var details = figure.querySelector("details.chart-data");
    if (details) { details.removeAttribute("open"); }
  }

  function drawAll(root) {
    (root || document).querySelectorAll("figure.chart").forEach(draw);
  }

  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
