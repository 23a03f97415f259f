// Progressive enhancement: suggestions while typing; the page works without it.
(function () {
  var input = document.querySelector("[data-suggest]"), list = document.getElementById("search-suggestions"), timer;
  if (!input || !window.fetch) return;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (input.value.trim().length < 2) return;
      fetch("/search/suggest/?q=" + encodeURIComponent(input.value)).then(function (r) { return r.json(); }).then(function (data) {
        list.innerHTML = "";
        data.suggestions.forEach(function (s) { var o = document.createElement("option"); o.value = s; list.appendChild(o); });
      });
    }, 200);
  });
})();
