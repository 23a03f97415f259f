/* 统计分析: bar charts from the data the page carries in <script type="application/json" id="chart-data">
   (json_script: the data is never parsed as code, whatever a column's title holds). */
(function () {
  var source = document.getElementById("chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  function bar(id, title, obj, horizontal) {
    var keys = Object.keys(obj || {}), values = keys.map(function (k) { return obj[k]; });
    var chart = echarts.init(document.getElementById(id));
    var category = {type: "category", data: keys}, value = {type: "value"};
    chart.setOption({title: {text: title}, tooltip: {}, grid: {left: horizontal ? 360 : 40},
      xAxis: horizontal ? value : category, yAxis: horizontal ? category : value, series: [{type: "bar", data: values}]});
  }
  bar("chart-month", "信息发布（按月）", data.published_per_month);
  bar("chart-channel", "依申请公开（按申请方式）", data.applications.by_channel);
  bar("chart-result", "依申请公开（按办理结果）", data.applications.by_result, true);
})();
