/* explorer.html: filters, bar charts built from the embedded counts, the quotes behind each bar.
   Plain JavaScript, no library. Respondent text is only ever set with textContent (never
   innerHTML), so a quote is always text, whatever it contains. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("explorer-data").textContent);
  var PAGE = 30;
  var ALL = -1;
  var state = { q: 0, theme: ALL, stance: ALL, attrs: D.attributes.map(function () { return ALL; }),
                search: "", shown: PAGE };
  var C = D.counts, Q = D.quotes;
  var nCounts = C.n.length, nQuotes = Q.text.length;
  var lower = null; // quote texts in lower case, made on the first search

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function fmt(n) { return n.toLocaleString("en-GB"); }
  function people(n) { return fmt(n) + (n === 1 ? " respondent" : " respondents"); }
  function pct(k, n) { return n > 0 ? (100 * k / n).toFixed(1) + "%" : "–"; }

  function profileOk(p, skip) {
    var values = D.profiles[p];
    for (var a = 0; a < state.attrs.length; a++) {
      if (a !== skip && state.attrs[a] !== ALL && values[a] !== state.attrs[a]) return false;
    }
    return true;
  }
  // Sum of counts in the chosen question for theme row t (ALL: answered), by a key of the cell.
  function sums(t, useStance, skipAttr, keyOf) {
    var out = {};
    for (var i = 0; i < nCounts; i++) {
      if (C.q[i] !== state.q || C.t[i] !== t) continue;
      if (useStance && state.stance !== ALL && C.s[i] !== state.stance) continue;
      if (!profileOk(C.p[i], skipAttr)) continue;
      var k = keyOf(i);
      out[k] = (out[k] || 0) + C.n[i];
    }
    return out;
  }
  function one() { return 0; }
  function total(obj) { var s = 0; for (var k in obj) s += obj[k]; return s; }
  function themeApplies(t, q) { var qs = D.themes[t].q; return qs.length === 0 || qs.indexOf(q) >= 0; }

  function fillSelect(select, options, value) {
    select.textContent = "";
    options.forEach(function (o) {
      var opt = el("option", null, o[1]);
      opt.value = String(o[0]);
      select.appendChild(opt);
    });
    select.value = String(value);
  }
  function buildFilters() {
    fillSelect($("f-question"), D.questions.map(function (q, i) { return [i, q.label]; }), state.q);
    var themes = [[ALL, "All themes"]];
    D.themes.forEach(function (t, i) { if (themeApplies(i, state.q)) themes.push([i, t.label]); });
    fillSelect($("f-theme"), themes, state.theme);
    fillSelect($("f-stance"), [[ALL, "All stances"]].concat(
      D.stances.map(function (s, i) { return [i, s.label]; })), state.stance);
    var box = $("f-attributes");
    box.textContent = "";
    D.attributes.forEach(function (a, ai) {
      var label = el("label", null, a.label + " ");
      var select = el("select");
      select.id = "f-attr-" + a.id;
      select.dataset.attr = String(ai);
      fillSelect(select, [[ALL, "All"]].concat(a.values.map(function (v, vi) { return [vi, v.label]; })),
                 state.attrs[ai]);
      select.addEventListener("change", function () { state.attrs[ai] = +select.value; update(); });
      label.appendChild(select);
      box.appendChild(label);
    });
  }

  function chart(title, kind, rows, base, baseText, selected) {
    var box = el("section", "chart");
    box.dataset.chart = kind;
    box.appendChild(el("h3", null, title));
    box.appendChild(el("p", "base", baseText));
    var max = rows.reduce(function (m, r) { return Math.max(m, r.n); }, 0);
    rows.forEach(function (r) {
      var b = el("button", "bar");
      b.type = "button";
      b.dataset.kind = kind;
      b.dataset.value = String(r.value);
      b.dataset.n = String(r.n);
      b.setAttribute("aria-pressed", r.value === selected ? "true" : "false");
      b.title = "Show the quotes behind this bar";
      b.appendChild(el("span", "bar-label", r.label));
      var track = el("span", "bar-track");
      var fill = el("span", "bar-fill");
      fill.style.width = (max > 0 ? 100 * r.n / max : 0) + "%";
      fill.style.display = "block";
      track.appendChild(fill);
      b.appendChild(track);
      b.appendChild(el("span", "bar-value", fmt(r.n) + " (" + pct(r.n, base) + ")"));
      b.addEventListener("click", function () { pick(kind, r.value); });
      box.appendChild(b);
    });
    return box;
  }
  function pick(kind, value) {
    if (kind === "theme") state.theme = state.theme === value ? ALL : value;
    else if (kind === "stance") state.stance = state.stance === value ? ALL : value;
    else { var a = +kind.slice(5); state.attrs[a] = state.attrs[a] === value ? ALL : value; }
    update();
    $("quotes-heading").scrollIntoView({ block: "start" });
  }

  function renderCharts() {
    var box = $("charts");
    box.textContent = "";
    var q = D.questions[state.q];
    var row = state.theme;
    // Themes: of respondents who answered, matching every filter but the theme.
    var base = total(sums(ALL, true, -1, one));
    var byTheme = {};
    for (var i = 0; i < nCounts; i++) {
      if (C.q[i] !== state.q || C.t[i] < 0) continue;
      if (state.stance !== ALL && C.s[i] !== state.stance) continue;
      if (!profileOk(C.p[i], -1)) continue;
      byTheme[C.t[i]] = (byTheme[C.t[i]] || 0) + C.n[i];
    }
    var themes = [];
    D.themes.forEach(function (t, ti) {
      if (themeApplies(ti, state.q)) themes.push({ value: ti, label: t.label, n: byTheme[ti] || 0 });
    });
    themes.sort(function (a, b) { return b.n - a.n || a.value - b.value; });
    if (themes.length) {
      box.appendChild(chart("Themes raised", "theme", themes, base,
        "Respondents raising each theme, of " + fmt(base) + " who answered " + q.label.split(":")[0] +
        " and match the other filters.", state.theme));
    }
    var byStance = sums(row, false, -1, function (i) { return C.s[i]; });
    var stances = [];
    D.stances.forEach(function (s, si) { if (byStance[si]) stances.push({ value: si, label: s.label, n: byStance[si] }); });
    var sBase = total(byStance);
    var onlyNone = stances.length === 1 && D.stances[stances[0].value].id === "none";
    if (stances.length && !onlyNone) {  // an open question: no stance chart
      box.appendChild(chart("Stance", "stance", stances, sBase,
        "Respondents by stance, of " + fmt(sBase) + " matching the other filters.", state.stance));
    }
    D.attributes.forEach(function (a, ai) {
      var by = sums(row, true, ai, function (i) { return D.profiles[C.p[i]][ai]; });
      var rows = [];
      a.values.forEach(function (v, vi) { if (by[vi]) rows.push({ value: vi, label: v.label, n: by[vi] }); });
      var aBase = total(by);
      box.appendChild(chart("By " + a.label.toLowerCase(), "attr-" + ai, rows, aBase,
        "Respondents by " + a.label.toLowerCase() + ", of " + fmt(aBase) + " matching the other filters.",
        state.attrs[ai]));
    });
    var selected = total(sums(row, true, -1, one));
    var what = state.theme === ALL ? "answered " + q.label : "raised " + D.themes[state.theme].label +
      " in " + q.label;
    $("summary").textContent = people(selected) + " " + what + " and match the filters" +
      (state.theme === ALL ? "." : " (" + pct(selected, base) + " of " + fmt(base) + " who answered).");
    $("summary").dataset.n = String(selected);
    $("question-text").textContent = q.text;
    return selected;
  }

  function highlight(node, text, needle) {
    if (!needle) { node.textContent = text; return; }
    var low = text.toLowerCase(), at = 0, hit;
    while ((hit = low.indexOf(needle, at)) >= 0) {
      node.appendChild(document.createTextNode(text.slice(at, hit)));
      node.appendChild(el("mark", null, text.slice(hit, hit + needle.length)));
      at = hit + needle.length;
    }
    node.appendChild(document.createTextNode(text.slice(at)));
  }
  function renderQuotes(selected) {
    var list = $("quotes");
    list.textContent = "";
    var needle = state.search.trim().toLowerCase();
    if (needle && !lower) lower = Q.text.map(function (t) { return t.toLowerCase(); });
    var row = state.theme, found = [];
    for (var i = 0; i < nQuotes; i++) {
      if (Q.q[i] !== state.q || Q.t[i] !== row) continue;
      if (state.stance !== ALL && Q.s[i] !== state.stance) continue;
      if (!profileOk(Q.p[i], -1)) continue;
      if (needle && lower[i].indexOf(needle) < 0) continue;
      found.push(i);
    }
    found.slice(0, state.shown).forEach(function (i) {
      var li = el("li", "quote");
      var p = el("p", "quote-text");
      highlight(p, Q.text[i], needle);
      li.appendChild(p);
      var meta = [Q.who[i], D.stances[Q.s[i]].label].concat(D.attributes.map(function (a, ai) {
        return a.values[D.profiles[Q.p[i]][ai]].label;
      }));
      li.appendChild(el("p", "quote-meta", meta.join(" · ")));
      list.appendChild(li);
    });
    var kind = state.theme === ALL ? "answers (their opening words)" : "sentences coded to " + D.themes[state.theme].label;
    $("quotes-status").textContent = found.length === 0
      ? (needle ? "No sampled quote in this selection contains “" + state.search.trim() + "”." : "No quotes for this selection.")
      : "Showing " + fmt(Math.min(state.shown, found.length)) + " of " + fmt(found.length) + " sampled " + kind +
        (needle ? " containing “" + state.search.trim() + "”" : "") + ", from the " + people(selected) +
        " in this selection.";
    $("quotes-status").dataset.n = String(found.length);
    $("quotes-more").hidden = found.length <= state.shown;
  }

  function update(keepShown) {
    if (!keepShown) state.shown = PAGE;
    $("f-theme").value = String(state.theme);
    $("f-stance").value = String(state.stance);
    D.attributes.forEach(function (a, ai) { $("f-attr-" + a.id).value = String(state.attrs[ai]); });
    renderQuotes(renderCharts());
  }

  buildFilters();
  $("f-question").addEventListener("change", function () {
    state.q = +$("f-question").value;
    if (state.theme !== ALL && !themeApplies(state.theme, state.q)) state.theme = ALL;
    buildFilters();
    update();
  });
  $("f-theme").addEventListener("change", function () { state.theme = +$("f-theme").value; update(); });
  $("f-stance").addEventListener("change", function () { state.stance = +$("f-stance").value; update(); });
  var timer = null;
  $("f-search").addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.search = $("f-search").value; update(); }, 150);
  });
  $("f-reset").addEventListener("click", function () {
    state.theme = ALL; state.stance = ALL; state.search = "";
    state.attrs = state.attrs.map(function () { return ALL; });
    $("f-search").value = "";
    buildFilters();
    update();
  });
  $("quotes-more").addEventListener("click", function () { state.shown += PAGE; update(true); });
  update();
  document.body.dataset.ready = "true";
})();
