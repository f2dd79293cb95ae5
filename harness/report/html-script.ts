// The HTML report's one inline script: the sample browser (run, benchmark, outcome, category and
// text filters, paging). It reads the inert JSON block and builds every node with textContent —
// never innerHTML — so no sample text can become markup. Its SHA-256 goes into the CSP.
export const REPORT_SCRIPT = `
(function () {
  'use strict';
  var dataEl = document.getElementById('cogeval-samples');
  var root = document.getElementById('sb');
  if (!dataEl || !root) return;
  var D = JSON.parse(dataEl.textContent || '{}');
  var S = D.strings || [];
  var OUT = D.outcomes || [];
  var PAGE = 60;
  var runSel = document.getElementById('sb-run');
  var benchSel = document.getElementById('sb-bench');
  var outSel = document.getElementById('sb-outcome');
  var catSel = document.getElementById('sb-category');
  var search = document.getElementById('sb-search');
  var list = document.getElementById('sb-list');
  var count = document.getElementById('sb-count');
  var more = document.getElementById('sb-more');
  var shown = PAGE;
  var BENCH_TITLES = D.titles || {};
  var OUT_LABEL = { correct: 'correct', partial: 'partly correct', wrong: 'wrong', excluded: 'not scored', failed: 'failed' };

  function s(i) { return i >= 0 && i < S.length ? S[i] : ''; }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }
  function option(value, text) { var o = document.createElement('option'); o.value = value; o.textContent = text; return o; }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function currentRun() { return D.runs[Number(runSel.value)] || null; }
  function currentSamples() {
    var run = currentRun();
    if (!run) return [];
    return run.benches[benchSel.value] || [];
  }

  function fillRuns() {
    clear(runSel);
    D.runs.forEach(function (r, i) { runSel.appendChild(option(String(i), r.id)); });
  }
  function fillBenches() {
    var run = currentRun();
    var keep = benchSel.value;
    clear(benchSel);
    if (!run) return;
    Object.keys(run.benches).forEach(function (b) {
      benchSel.appendChild(option(b, (BENCH_TITLES[b] || b) + ' (' + run.benches[b].length + ')'));
    });
    if (keep && run.benches[keep]) benchSel.value = keep;
  }
  function fillOutcomes() {
    var keep = outSel.value;
    var counts = OUT.map(function () { return 0; });
    var samples = currentSamples();
    for (var i = 0; i < samples.length; i++) counts[samples[i][1]]++;
    clear(outSel);
    outSel.appendChild(option('all', 'all outcomes (' + samples.length + ')'));
    OUT.forEach(function (o, i) { outSel.appendChild(option(String(i), (OUT_LABEL[o] || o) + ' (' + counts[i] + ')')); });
    outSel.value = keep && outSel.querySelector('option[value="' + keep + '"]') ? keep : 'all';
  }
  function fillCategories() {
    var keep = catSel.value;
    var seen = {};
    var labels = [];
    var samples = currentSamples();
    for (var i = 0; i < samples.length; i++) {
      var cats = samples[i][8];
      for (var j = 0; j < cats.length; j++) {
        if (!seen[cats[j]]) { seen[cats[j]] = 0; labels.push(cats[j]); }
        seen[cats[j]]++;
      }
    }
    labels.sort(function (a, b) { return s(a) < s(b) ? -1 : s(a) > s(b) ? 1 : 0; });
    clear(catSel);
    catSel.appendChild(option('all', labels.length ? 'all categories' : 'no categories'));
    labels.forEach(function (l) { catSel.appendChild(option(String(l), s(l) + ' (' + seen[l] + ')')); });
    catSel.value = keep !== '' && seen[Number(keep)] !== undefined ? keep : 'all';
    catSel.disabled = labels.length === 0;
  }

  function matches(x) {
    if (outSel.value !== 'all' && x[1] !== Number(outSel.value)) return false;
    if (catSel.value !== 'all' && x[8].indexOf(Number(catSel.value)) < 0) return false;
    var q = search.value.trim().toLowerCase();
    if (q) {
      var hay = (s(x[0]) + '\\n' + s(x[4]) + '\\n' + s(x[5]) + '\\n' + s(x[6]) + '\\n' + s(x[7])).toLowerCase();
      if (hay.indexOf(q) < 0) return false;
    }
    return true;
  }

  function safeThumb(i) {
    var uri = i >= 0 && D.thumbs ? D.thumbs[i] : '';
    return typeof uri === 'string' && /^data:image\\/(webp|jpeg|png);base64,[A-Za-z0-9+\\/=]+$/.test(uri) ? uri : '';
  }

  function row(dl, label, text, cls) {
    dl.appendChild(el('dt', null, label));
    dl.appendChild(el('dd', cls || null, text));
  }

  function card(x) {
    var outcome = OUT[x[1]] || 'excluded';
    var c = el('article', 'card o-' + outcome);
    c.setAttribute('data-outcome', outcome);
    var th = el('div', 'thumb');
    var uri = safeThumb(x[10]);
    if (uri) {
      var img = document.createElement('img');
      img.alt = 'image of item ' + s(x[0]);
      img.src = uri;
      th.appendChild(img);
    } else {
      th.appendChild(el('div', 'none', 'no thumbnail'));
    }
    c.appendChild(th);
    var body = el('div', 'body');
    var head = el('div', 'head');
    head.appendChild(el('span', 'sid', s(x[0])));
    head.appendChild(el('span', 'badge o-' + outcome, OUT_LABEL[outcome] || outcome));
    var status = s(x[3]);
    if (status && status !== 'scored' && status !== 'failed') head.appendChild(el('span', 'badge status', status.replace(/_/g, ' ')));
    head.appendChild(el('span', 'val', x[2] === null ? 'no score' : 'score ' + (Math.round(x[2] * 1000) / 1000)));
    body.appendChild(head);
    var dl = el('dl');
    row(dl, 'Question', s(x[4]) || '(none stored)');
    row(dl, 'Prediction', x[5] >= 0 ? s(x[5]) : (outcome === 'failed' ? '(no prediction)' : '(empty)'), 'pred');
    row(dl, 'Reference', s(x[6]) || '(none)');
    if (x[7] >= 0) row(dl, 'Options', s(x[7]));
    body.appendChild(dl);
    if (x[8].length) {
      var chips = el('div', 'chips');
      x[8].forEach(function (ci) { chips.appendChild(el('span', 'chip', s(ci))); });
      body.appendChild(chips);
    }
    if (x[9] >= 0) {
      var d = el('details');
      d.appendChild(el('summary', null, outcome === 'failed' ? 'why it failed' : 'scorer detail'));
      d.appendChild(el('pre', null, s(x[9])));
      body.appendChild(d);
    }
    c.appendChild(body);
    return c;
  }

  function render() {
    var samples = currentSamples();
    var hits = [];
    for (var i = 0; i < samples.length; i++) if (matches(samples[i])) hits.push(samples[i]);
    clear(list);
    var n = Math.min(shown, hits.length);
    for (var k = 0; k < n; k++) list.appendChild(card(hits[k]));
    count.textContent = 'Showing ' + n + ' of ' + hits.length + ' matching item(s); ' + samples.length + ' in this benchmark.';
    more.classList.toggle('hidden', hits.length <= n);
    more.textContent = 'Show ' + Math.min(PAGE, hits.length - n) + ' more';
  }

  function reset() { shown = PAGE; render(); }
  runSel.addEventListener('change', function () { fillBenches(); fillOutcomes(); fillCategories(); reset(); });
  benchSel.addEventListener('change', function () { fillOutcomes(); fillCategories(); reset(); });
  outSel.addEventListener('change', reset);
  catSel.addEventListener('change', reset);
  search.addEventListener('input', reset);
  more.addEventListener('click', function () { shown += PAGE; render(); });

  if (!D.runs || D.runs.length === 0) { count.textContent = 'No samples in these runs.'; return; }
  fillRuns();
  fillBenches();
  fillOutcomes();
  fillCategories();
  root.classList.remove('nojs');
  render();
})();
`;
