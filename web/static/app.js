// duban: the pages' own script. The pages work without it; it draws the
// charts (options come from the server as JSON in data-chart) and nothing
// else: autosave and inline filters are htmx attributes.
(function () {
  "use strict";
  var charts = [];

  function draw(el) {
    if (el.dataset.drawn || typeof echarts === "undefined") { return; }
    el.dataset.drawn = "1";
    var option;
    try { option = JSON.parse(el.dataset.chart); } catch (e) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  }

  function drawAll(root) {
    var els = (root || document).querySelectorAll("[data-chart]");
    if (!("IntersectionObserver" in window)) {
      els.forEach(draw);
      return;
    }
    var io = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { io.unobserve(e.target); draw(e.target); }
      });
    }, { rootMargin: "200px" });
    els.forEach(function (el) { io.observe(el); });
  }

  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
  });

  function loadECharts(then) {
    if (typeof echarts !== "undefined") { then(); return; }
    var src = document.documentElement.dataset.echarts;
    if (!src || !document.querySelector("[data-chart]")) { return; }
    var s = document.createElement("script");
    s.src = src;
    s.onload = then;
    document.head.appendChild(s);
  }

  document.addEventListener("DOMContentLoaded", function () { loadECharts(function () { drawAll(); }); });
  document.addEventListener("htmx:afterSettle", function (ev) { loadECharts(function () { drawAll(ev.target); }); });
})();
