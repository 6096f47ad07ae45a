// The statistics page's charts, drawn with Apache ECharts (vendored under vendor/echarts) from the figures the page
// carries in #stats-chart-data. Every figure is also in the page's tables, so nothing is lost without scripts.
// Tooltips are drawn on the canvas ("richText"): ECharts' HTML tooltips carry style attributes, which the pages'
// Content-Security-Policy (style-src 'self') refuses.
(function () {
  "use strict";
  var COLOURS = ["#1f4e9c", "#c8102e", "#1f7a4d", "#f2a900", "#6a4c93", "#2a9d8f", "#8a5a00", "#5a6375"];

  function readData() {
    var element = document.getElementById("stats-chart-data");
    return element ? JSON.parse(element.textContent) : null;
  }

  function formatters(language) {
    var tag = language === "en" ? "en" : "zh-CN";
    var compact = new Intl.NumberFormat(tag, { notation: "compact", maximumFractionDigits: 2 });
    var exact = new Intl.NumberFormat(tag);
    return {
      compact: function (value) { return compact.format(value); },
      exact: function (value) { return exact.format(value); },
    };
  }

  function draw(id, language, option) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    var existing = echarts.getInstanceByDom(element);
    if (existing) {
      existing.dispose();
    }
    var chart = echarts.init(element, null, { renderer: "canvas", locale: language === "en" ? "EN" : "ZH" });
    chart.on("finished", function () { element.setAttribute("data-rendered", "true"); });
    chart.setOption(Object.assign({ color: COLOURS, animationDuration: 300, textStyle: { fontFamily: "inherit" } }, option));
    return chart;
  }

  function months(data, format) {
    var table = data.months;
    var bars = { issued: true, used: true };
    return {
      tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: format.exact },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: table.labels.length > 24 ? 48 : 8, containLabel: true },
      xAxis: { type: "category", data: table.labels },
      yAxis: { type: "value", axisLabel: { formatter: format.compact } },
      dataZoom: table.labels.length > 24 ? [{ type: "slider", start: 50, end: 100 }] : [],
      series: table.series.map(function (series) {
        return {
          name: series.name,
          type: bars[series.key] ? "bar" : "line",
          data: series.data,
          barMaxWidth: 28,
          emphasis: { focus: "series" },
        };
      }),
    };
  }

  function kinds(data, format) {
    var table = data.kinds;
    var issued = table.series[0];
    return {
      tooltip: { trigger: "item", renderMode: "richText", valueFormatter: format.exact },
      legend: { bottom: 0 },
      series: [
        {
          name: issued.name,
          type: "pie",
          radius: ["42%", "70%"],
          center: ["50%", "45%"],
          label: { formatter: "{b}\n{d}%" },
          data: table.labels.map(function (label, index) { return { name: label, value: issued.data[index] }; }),
        },
      ],
    };
  }

  function groups(data, format) {
    var table = data.groups;
    return {
      tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" }, valueFormatter: format.exact },
      legend: { top: 0 },
      grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "value", axisLabel: { formatter: format.compact } },
      yAxis: { type: "category", data: table.labels.slice().reverse() },
      series: table.series.map(function (series) {
        return { name: series.name, type: "bar", data: series.data.slice().reverse(), barMaxWidth: 18 };
      }),
    };
  }

  function drawAll() {
    var data = readData();
    if (!data || typeof echarts === "undefined") {
      return;
    }
    var format = formatters(data.language);
    var charts = [
      draw("chart-months", data.language, months(data, format)),
      draw("chart-kinds", data.language, kinds(data, format)),
      draw("chart-groups", data.language, groups(data, format)),
    ].filter(Boolean);
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
