/* zwgk portal: 关怀版 (适老化) switch and 无障碍 toolbar.
 *
 * Loaded in <head> without defer so that a remembered mode is on the page before its first paint. Everything
 * lives in this browser's localStorage (no cookie, no server state: the pages stay the same for every visitor
 * and can be cached). No inline script or style: the portal's Content-Security-Policy allows neither; the
 * guide lines are moved through the CSSOM, which the policy permits.
 *
 * 关怀版: larger type, higher contrast, larger click targets, no animation (a11y.css, html.care).
 * 工具条: text size (5 steps), high contrast, line guide, large cursor, 指读 (reads what is pointed at or
 * focused) and 朗读正文 (reads the main content) through the browser's speechSynthesis, zh-CN voice if any.
 */
(function () {
  "use strict";
  var KEY = "zwgk-a11y";
  var CARE_KEY = "zwgk-care";
  var ZOOM_STEPS = 5; /* html[data-zoom="0".."4"]: 100 % … 175 % (a11y.css) */
  var root = document.documentElement;
  var state = { zoom: 0, contrast: false, guide: false, cursor: false, speak: false, bar: false };
  var care = false;

  function load() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      Object.keys(state).forEach(function (k) {
        if (typeof saved[k] === typeof state[k]) state[k] = saved[k];
      });
      state.zoom = Math.max(0, Math.min(ZOOM_STEPS - 1, Math.round(state.zoom) || 0));
      care = window.localStorage.getItem(CARE_KEY) === "1";
    } catch (e) {
      /* storage refused (private mode): the switches work for this page only */
    }
  }

  function save() {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
      if (care) window.localStorage.setItem(CARE_KEY, "1");
      else window.localStorage.removeItem(CARE_KEY);
    } catch (e) {
      /* ignore */
    }
  }

  function apply() {
    root.classList.add("js");
    root.classList.toggle("care", care);
    root.classList.toggle("hc", state.contrast);
    root.classList.toggle("big-cursor", state.cursor);
    root.classList.toggle("guide-on", state.guide);
    if (state.zoom) root.setAttribute("data-zoom", String(state.zoom));
    else root.removeAttribute("data-zoom");
  }

  load();
  apply();

  /* --- speech ---------------------------------------------------------------------------------------- */
  var synth = window.speechSynthesis;
  var voice = null;

  function pickVoice() {
    if (!synth) return;
    var voices = synth.getVoices() || [];
    voice =
      voices.filter(function (v) { return /^zh[-_]CN/i.test(v.lang); })[0] ||
      voices.filter(function (v) { return /^zh/i.test(v.lang); })[0] ||
      null;
  }

  function say(text) {
    if (!synth || !text) return;
    synth.cancel();
    var u = new window.SpeechSynthesisUtterance(text.replace(/\s+/g, " ").trim().slice(0, 4000));
    u.lang = "zh-CN";
    if (voice) u.voice = voice;
    synth.speak(u);
  }

  function describe(el) {
    var text = (el.getAttribute("aria-label") || el.innerText || el.textContent || el.alt || "").trim();
    if (!text) return "";
    var tag = el.tagName;
    if (tag === "A") return "链接，" + text;
    if (tag === "BUTTON") return "按钮，" + text;
    if (/^H[1-6]$/.test(tag)) return "标题，" + text;
    return text;
  }

  /* --- on DOM ready: wire the controls ------------------------------------------------------------------ */
  function ready() {
    var careButton = document.getElementById("care-toggle");
    var barButton = document.getElementById("a11y-toggle");
    var bar = document.getElementById("a11y-bar");
    var status = bar ? bar.querySelector(".a11y-status") : null;
    var hLine = document.createElement("div");
    var vLine = document.createElement("div");
    hLine.className = "guide-line guide-h";
    vLine.className = "guide-line guide-v";
    hLine.setAttribute("aria-hidden", "true");
    vLine.setAttribute("aria-hidden", "true");
    document.body.appendChild(hLine);
    document.body.appendChild(vLine);

    function announce(text) {
      if (status) status.textContent = text;
    }

    function sync() {
      apply();
      if (careButton) {
        careButton.setAttribute("aria-pressed", care ? "true" : "false");
        careButton.textContent = care ? "退出关怀版" : "关怀版";
      }
      if (barButton && bar) {
        bar.hidden = !state.bar;
        barButton.setAttribute("aria-expanded", state.bar ? "true" : "false");
      }
      if (bar) {
        ["contrast", "guide", "cursor", "speak"].forEach(function (k) {
          var b = bar.querySelector('[data-a11y="' + k + '"]');
          if (b) b.setAttribute("aria-pressed", state[k] ? "true" : "false");
        });
      }
    }

    if (careButton) {
      careButton.addEventListener("click", function () {
        care = !care;
        save();
        sync();
      });
    }
    if (barButton) {
      barButton.addEventListener("click", function () {
        state.bar = !state.bar;
        save();
        sync();
        if (state.bar) {
          var first = bar.querySelector("button");
          if (first) first.focus();
        }
      });
    }
    if (bar) {
      if (!synth) {
        ["speak", "read"].forEach(function (k) {
          var b = bar.querySelector('[data-a11y="' + k + '"]');
          if (b) b.hidden = true;
        });
      }
      bar.addEventListener("click", function (event) {
        var button = event.target.closest("[data-a11y]");
        if (!button) return;
        var action = button.getAttribute("data-a11y");
        if (action === "bigger" || action === "smaller") {
          state.zoom = Math.max(0, Math.min(ZOOM_STEPS - 1, state.zoom + (action === "bigger" ? 1 : -1)));
          announce("文字大小：" + [100, 112, 125, 150, 175][state.zoom] + "%");
        } else if (action === "contrast" || action === "guide" || action === "cursor" || action === "speak") {
          state[action] = !state[action];
          announce(button.textContent + (state[action] ? "已开启" : "已关闭"));
          if (action === "speak" && !state.speak && synth) synth.cancel();
        } else if (action === "read") {
          var main = document.getElementById("main");
          say(main ? main.innerText : "");
          announce("正在朗读正文");
        } else if (action === "reset") {
          state.zoom = 0;
          state.contrast = state.guide = state.cursor = state.speak = false;
          if (synth) synth.cancel();
          announce("已恢复默认显示");
        } else if (action === "close") {
          state.bar = false;
          if (synth) synth.cancel();
          save();
          sync();
          if (barButton) barButton.focus();
          return;
        }
        save();
        sync();
      });
      bar.addEventListener("keydown", function (event) {
        if (event.key === "Escape") {
          state.bar = false;
          save();
          sync();
          if (barButton) barButton.focus();
        }
      });
    }

    /* 辅助线: a horizontal and a vertical line through the pointer. */
    document.addEventListener("mousemove", function (event) {
      if (!state.guide) return;
      hLine.style.transform = "translateY(" + event.clientY + "px)";
      vLine.style.transform = "translateX(" + event.clientX + "px)";
    });

    /* 指读: read what the pointer rests on or the keyboard focuses. */
    var last = null;
    var timer = 0;
    function point(event) {
      if (!state.speak) return;
      var el = event.target.closest("a, button, h1, h2, h3, h4, p, li, td, th, dt, dd, label, img, input, select, textarea");
      if (!el || el === last || (bar && bar.contains(el) && event.type === "mouseover")) return;
      last = el;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { say(describe(el)); }, event.type === "focusin" ? 0 : 300);
    }
    document.addEventListener("mouseover", point);
    document.addEventListener("focusin", point);

    if (synth) {
      pickVoice();
      if ("onvoiceschanged" in synth) synth.addEventListener("voiceschanged", pickVoice);
    }

    /* Tables keep their column labels on a phone: each cell gets its column's header (portal.css shows it). */
    Array.prototype.forEach.call(document.querySelectorAll("main table"), function (table) {
      var heads = table.querySelectorAll("thead th");
      if (!heads.length) return;
      var labels = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr"), function (tr) {
        Array.prototype.forEach.call(tr.children, function (cell, i) {
          if (labels[i] && !cell.hasAttribute("data-label") && !cell.hasAttribute("colspan")) {
            cell.setAttribute("data-label", labels[i]);
          }
        });
      });
      if (!table.closest(".catalog-scroll")) table.classList.add("stack");
    });

    sync();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
