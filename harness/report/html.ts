// leaderboard.html: one self-contained page (inline CSS, inline SVG, one inline script, data:
// thumbnails; no network) — leaderboard, charts, verdicts, categories, scorer sensitivity,
// throughput and the sample browser. Every untrusted string goes through esc() or inert JSON, and
// a CSP allows only this page's own script and style by hash.
import { type BenchId } from '../metrics/types.js';
import { BENCH_IDS } from '../benchmarks/registry.js';
import { contentSecurityPolicy, esc, jsonForHtml } from './html-escape.js';
import { REPORT_SCRIPT } from './html-script.js';
import { REPORT_CSS } from './html-style.js';
import { formatReported, formatScore, type Leaderboard, type MeasuredCell, type RunRow } from './model.js';
import type { SamplesView } from './samples-view.js';
import { benchChart, verdictClass } from './svg-charts.js';
import type { VerdictKind } from './verdict.js';

export interface HtmlInputs {
  board: Leaderboard;
  samples: SamplesView;
  /** Notes about thumbnails and data (shown in the Notes section). */
  notes: string[];
  version: string;
}

function ciText(c: MeasuredCell, scale: 'percent' | 'points1000'): string {
  return Number.isFinite(c.ciLo) && Number.isFinite(c.ciHi) ? `${formatScore(c.ciLo, scale)}–${formatScore(c.ciHi, scale)}` : '';
}

function deltaText(c: MeasuredCell, scale: 'percent' | 'points1000'): string {
  if (c.delta === undefined) return '—';
  const d = formatScore(Math.abs(c.delta), scale);
  return `${c.delta >= 0 ? '+' : '−'}${d}`;
}

function runLabel(r: RunRow): string {
  const tag = r.imported ? '<span class="tag measured">imported</span>' : '<span class="tag measured">measured</span>';
  return `<span class="mono">${esc(r.runId)}</span>${tag}<span class="sub">${esc(r.model.name)} · protocol ${esc(r.protocol)}${r.limit !== null ? ` · limit ${esc(r.limit)}` : ''}${r.shard ? ` · shard ${esc(r.shard.index)}/${esc(r.shard.count)}` : ''}${r.imported ? ` · imported from ${esc(r.imported.label)}` : ''}</span>`;
}

function leaderboardSection(board: Leaderboard): string {
  const head = [
    '<th class="l">Model</th><th class="l">Open</th><th class="l">LLM</th>',
    ...board.benches.map((b) => `<th title="${esc(`${b.title}: README ${b.reportedSplit}`)}">${esc(b.title)}</th>`),
    ...board.extraColumns.map((c) => `<th class="extra" title="not measured by cogeval">${esc(c.title)}</th>`),
  ].join('');
  const body = board.rows
    .map((row) => {
      if (row.kind === 'reported') {
        const cells = board.benches.map((b) => {
          const v = row.scores[b.id];
          if (v === null || v === undefined) return '<td class="na">–</td>';
          return `<td class="${row.best.includes(b.id) ? 'best' : ''}">${esc(formatReported(v, b.scale))}</td>`;
        });
        const extra = board.extraColumns.map((c) => {
          const v = row.scores[c.key];
          return v === null || v === undefined ? '<td class="extra na">–</td>' : `<td class="extra${row.best.includes(c.key) ? ' best' : ''}">${esc(formatReported(v, c.scale ?? 'percent'))}</td>`;
        });
        const open = row.openSource === null ? '–' : row.openSource ? 'yes' : 'no';
        return `<tr class="reported${row.models.length > 0 ? ' cog' : ''}"><td class="l model">${esc(row.name)}<span class="tag">README</span></td><td class="l">${open}</td><td class="l">${esc(row.llmSize ?? '–')}</td>${cells.join('')}${extra.join('')}</tr>`;
      }
      const cells = board.benches.map((b) => {
        const c = row.cells[b.id];
        if (!c) return '<td class="na" title="not part of this run">·</td>';
        const cls = verdictClass(c.verdict.kind);
        const title = `${c.verdict.label}: ${c.verdict.explanation}${c.verdict.partial ? ` (partial: ${c.verdict.partial})` : ''}; profile ${c.profile}, n=${c.n}`;
        return `<td class="${cls}" title="${esc(title)}"><span class="dot"></span>${esc(c.display)}<span class="ci">${esc(ciText(c, b.scale))}</span></td>`;
      });
      const extra = board.extraColumns.map(() => '<td class="extra na">·</td>');
      return `<tr class="run"><td class="l model">${runLabel(row)}</td><td class="l">–</td><td class="l">–</td>${cells.join('')}${extra.join('')}</tr>`;
    })
    .join('\n');
  return `<section id="leaderboard"><h2>Leaderboard</h2>
<p class="lead">Our runs (blue rows, with their 95% confidence interval below each score and a dot coloured by the reproduction verdict) beside every row of the ${esc(board.reportedTitle)} table. README values in bold were the best of their column. Scores use the table's scale: percent, OCRBench in points of 1000. Hover a measured cell for its verdict.</p>
<div class="scroll"><table class="board"><thead><tr>${head}</tr></thead><tbody>
${body}
</tbody></table></div></section>`;
}

function verdictSummary(board: Leaderboard): string {
  const counts = new Map<VerdictKind, number>();
  for (const r of board.runs) for (const c of Object.values(r.cells)) if (c) counts.set(c.verdict.kind, (counts.get(c.verdict.kind) ?? 0) + 1);
  return `<div class="summary">${board.verdictRules
    .map((v) => `<div class="stat ${verdictClass(v.kind)}"><b>${counts.get(v.kind) ?? 0}</b><span><span class="dot"></span>${esc(v.label)}</span></div>`)
    .join('')}</div>`;
}

function chartsSection(board: Leaderboard): string {
  const legend = `<div class="legend">
<span><svg width="34" height="12" aria-hidden="true"><line class="ci" x1="2" y1="6" x2="32" y2="6"/><line class="ci" x1="2" y1="1" x2="2" y2="11"/><line class="ci" x1="32" y1="1" x2="32" y2="11"/><circle cx="17" cy="6" r="4.5"/></svg>our score and 95% CI (coloured by verdict)</span>
<span><svg width="14" height="14" aria-hidden="true"><path d="M7 1L13 7L7 13L1 7Z"/></svg>README value of the run's model</span>
<span><svg width="10" height="14" aria-hidden="true"><line class="rtick" x1="5" y1="1" x2="5" y2="13"/></svg>README values of all models (dark: CogVLM2)</span></div>`;
  const charts = board.benches
    .filter((b) => board.runs.some((r) => r.cells[b.id] !== undefined))
    .map((b) => `<div class="chartbox" id="chart-${b.id}"><h3>${esc(b.title)}</h3><p>README: ${esc(b.reportedSplit)}${b.measuredSplit ? ` · cogeval: ${esc(b.measuredSplit)}` : ''}${b.comparable ? '' : ' · <b>not the same quantity</b>'}</p>${benchChart(b, board.runs, board)}</div>`)
    .join('\n');
  return `<section id="charts"><h2>Measured vs reported</h2><p class="lead">Each benchmark on its own axis. The README row shows where every model of the table sits; each run row shows our score with its 95% confidence interval and, as a diamond, the README value of that run's model.</p>${legend}<div class="charts">${charts || '<p>No scored benchmark in these runs.</p>'}</div></section>`;
}

function countsText(c: MeasuredCell): string {
  const parts: string[] = [];
  if (c.counts.random_fallback) parts.push(`${c.counts.random_fallback} random guess(es)`);
  if (c.counts.needs_judge) parts.push(`${c.counts.needs_judge} need a judge`);
  if (c.counts.judge_failed) parts.push(`${c.counts.judge_failed} judge failure(s)`);
  if (c.counts.not_applicable) parts.push(`${c.counts.not_applicable} not applicable`);
  if (c.samples.failed) parts.push(`${c.samples.failed} failed (${Object.entries(c.failedByKind).map(([k, n]) => `${k} ${n}`).join(', ')})`);
  if (c.samples.missing) parts.push(`${c.samples.missing} not run`);
  if (c.multiImageItems) parts.push(`${c.multiImageItems} multi-image item(s), first image sent`);
  return parts.join('; ') || '—';
}

function verdictSection(board: Leaderboard): string {
  const matrix = `<div class="scroll"><table><thead><tr><th class="l">Run</th>${board.benches.map((b) => `<th>${esc(b.title)}</th>`).join('')}</tr></thead><tbody>${board.runs
    .map(
      (r) =>
        `<tr><td class="l"><span class="mono">${esc(r.runId)}</span><span class="sub">${esc(r.model.name)}${r.reportedRow ? ` vs README ${esc(r.reportedRow)}` : ' (no README row)'}</span></td>${board.benches
          .map((b) => {
            const c = r.cells[b.id];
            if (!c) return '<td class="na">·</td>';
            return `<td class="${verdictClass(c.verdict.kind)}" title="${esc(c.verdict.explanation)}"><span class="badge">${esc(c.verdict.label)}</span><span class="ci">${esc(c.display)}${c.reported !== undefined ? ` vs ${esc(formatReported(c.reported, b.scale))} (${esc(deltaText(c, b.scale))})` : ''}${c.verdict.partial ? ' · partial' : ''}</span></td>`;
          })
          .join('')}</tr>`,
    )
    .join('\n')}</tbody></table></div>`;
  const details = board.runs
    .map((r, i) => {
      const rows = board.benches
        .filter((b) => r.cells[b.id])
        .map((b) => {
          const c = r.cells[b.id] as MeasuredCell;
          return `<tr class="${verdictClass(c.verdict.kind)}"><td class="l">${esc(b.title)}</td><td class="l mono">${esc(c.profile)}</td><td class="l">${esc(c.judgeMode)}${c.judgeModel ? `<span class="sub">judge ${esc(c.judgeModel)}</span>` : ''}</td><td>${esc(c.n)}</td><td><b>${esc(c.display)}</b></td><td>${esc(ciText(c, b.scale))}</td><td>${c.reported !== undefined ? esc(formatReported(c.reported, b.scale)) : '—'}</td><td>${esc(deltaText(c, b.scale))}</td><td class="l"><span class="badge">${esc(c.verdict.label)}</span></td><td class="l">${esc(c.verdict.explanation)}${c.verdict.partial ? `<span class="sub">partial run: ${esc(c.verdict.partial)}</span>` : ''}</td><td class="l">${esc(countsText(c))}</td></tr>`;
        })
        .join('');
      return `<details${i === 0 ? ' open' : ''}><summary><span class="mono">${esc(r.runId)}</span><span class="sub">${esc(r.model.hfId || r.model.name)} · protocol ${esc(r.protocol)} · template ${esc(r.template)} · decoding ${esc(r.decoding)} · judge mode ${esc(r.judgeMode ?? 'n/a')} · cogeval ${esc(r.harness.version)}${r.harness.gitCommit ? ` @ ${esc(r.harness.gitCommit.slice(0, 10))}` : ''}</span></summary><div class="inner scroll"><table><thead><tr><th class="l">Benchmark</th><th class="l">Profile</th><th class="l">Judge mode</th><th>n</th><th>Score</th><th>95% CI</th><th>Reported</th><th>Δ</th><th class="l">Verdict</th><th class="l">Why</th><th class="l">Counts</th></tr></thead><tbody>${rows}</tbody></table></div></details>`;
    })
    .join('\n');
  const rules = `<h3>How the verdict is decided</h3><ul class="rules">${board.verdictRules.map((v) => `<li class="${verdictClass(v.kind)}"><span class="badge">${esc(v.label)}</span> ${esc(v.rule)}</li>`).join('')}<li>A run that covers only part of a benchmark (<code>--limit</code>, a shard, samples not run or failed) gets its verdict marked <i>partial</i>: the interval is that of the items it has.</li></ul>
<h3>Which README numbers are comparable</h3><div class="scroll"><table><thead><tr><th class="l">Benchmark</th><th class="l">README reports</th><th class="l">cogeval measures</th><th class="l">Comparable</th><th class="l">Note</th></tr></thead><tbody>${board.benches
    .map((b) => `<tr><td class="l">${esc(b.title)}</td><td class="l">${esc(b.reportedSplit)}</td><td class="l">${esc(b.measuredSplit ?? '—')}</td><td class="l">${b.comparable ? 'yes' : '<b>no</b>'}</td><td class="l">${esc(b.note)}</td></tr>`)
    .join('')}</tbody></table></div>`;
  return `<section id="verdicts"><h2>Reproduction verdicts</h2><p class="lead">For every run and benchmark: does the README's number fall inside our 95% confidence interval? Hover a verdict for the numbers.</p>${verdictSummary(board)}${matrix}<h3>Per run</h3>${details}${rules}</section>`;
}

function heatClass(value: number, n: number, scale: 'percent' | 'points1000'): string {
  const f = scale === 'percent' ? value / 100 : n > 0 ? value / n : Number.NaN;
  if (!Number.isFinite(f)) return '';
  return `h${Math.max(0, Math.min(9, Math.floor(f * 10)))}`;
}

function categoriesSection(board: Leaderboard): string {
  const blocks = board.benches
    .map((b) => {
      const runs = board.runs.filter((r) => r.categories[b.id] && Object.keys(r.categories[b.id] ?? {}).length > 0);
      if (runs.length === 0) return '';
      const keys = [...new Set(runs.flatMap((r) => Object.keys(r.categories[b.id] ?? {})))];
      const tables = keys
        .map((key) => {
          const labels = [...new Set(runs.flatMap((r) => Object.keys(r.categories[b.id]?.[key] ?? {})))].sort();
          if (labels.length === 0) return '';
          const head = `<tr><th class="l">${esc(key.replace(/_/g, ' '))}</th>${runs.map((r) => `<th title="${esc(r.runId)}">${esc(r.runId.length > 22 ? `${r.runId.slice(0, 21)}…` : r.runId)}</th>`).join('')}</tr>`;
          const body = labels
            .map((label) => {
              const cells = runs.map((r) => {
                const c = r.categories[b.id]?.[key]?.[label];
                if (!c) return '<td class="na">·</td>';
                const v = b.scale === 'percent' ? c.value.toFixed(1) : c.value.toFixed(0);
                const ci = Number.isFinite(c.ci.lo) ? `95% CI ${c.ci.lo.toFixed(1)}–${c.ci.hi.toFixed(1)}` : 'no CI';
                return `<td class="${heatClass(c.value, c.n, b.scale)}" title="${esc(`${label}: ${v}, ${ci}, n=${c.n}`)}">${esc(v)}<span class="ci">n=${esc(c.n)}</span></td>`;
              });
              return `<tr><td class="l">${esc(label)}</td>${cells.join('')}</tr>`;
            })
            .join('');
          return `<div class="scroll"><table class="cat">${head}${body}</table></div>`;
        })
        .join('');
      if (tables === '') return '';
      const unit = b.scale === 'percent' ? 'percent' : 'points (hits) per category';
      return `<details><summary>${esc(b.title)}<span class="sub">${esc(keys.join(', ').replace(/_/g, ' '))} · ${unit}</span></summary><div class="inner">${tables}</div></details>`;
    })
    .filter((s) => s !== '')
    .join('\n');
  return `<section id="categories"><h2>Per-category breakdowns</h2><p class="lead">Scores per category under each run's primary profile, one column per run; cells are shaded from red (0) to green (full marks). OCRBench categories are hit counts, as its authors report them.</p>${blocks || '<p>No category breakdowns in these runs.</p>'}</section>`;
}

function sensitivitySection(board: Leaderboard): string {
  const blocks = board.runs
    .map((r, i) => {
      const benches = board.benches.filter((b) => (r.sensitivity[b.id] ?? []).length > 0);
      if (benches.length === 0) return '';
      const profiles = [...new Set(benches.flatMap((b) => (r.sensitivity[b.id] ?? []).map((e) => e.profile)))];
      const body = benches
        .map((b) => {
          const entries = r.sensitivity[b.id] ?? [];
          const finite = entries.map((e) => e.value).filter((v) => Number.isFinite(v));
          const spread = finite.length > 1 ? Math.max(...finite) - Math.min(...finite) : 0;
          const big = b.scale === 'percent' ? spread >= 1 : spread >= 10;
          const cells = profiles.map((p) => {
            const e = entries.find((x) => x.profile === p);
            if (!e) return '<td class="na">·</td>';
            const extra = [e.randomFallbacks ? `${e.randomFallbacks} random` : '', e.needsJudge ? `${e.needsJudge} need judge` : '', e.excluded ? `${e.excluded} not counted` : ''].filter((x) => x !== '').join(', ');
            const ci = Number.isFinite(e.ciLo) ? `${formatScore(e.ciLo, b.scale)}–${formatScore(e.ciHi, b.scale)}` : '';
            const printed = e.printed ? `<span class="ci printed" title="${esc(e.printed.label)}">source printed ${esc(formatScore(e.printed.value, b.scale))}</span>` : '';
            return `<td class="${e.primary ? 'prim' : ''}" title="${esc(`${p}: ${e.display} ${ci ? `(95% CI ${ci})` : ''}, n=${e.n}${extra ? `; ${extra}` : ''}`)}">${esc(e.display)}${extra ? `<span class="ci">${esc(extra)}</span>` : ''}${printed}</td>`;
          });
          return `<tr><td class="l">${esc(b.title)}</td>${cells.join('')}<td class="spread${big ? ' big' : ''}">${esc(formatScore(spread, b.scale))}</td></tr>`;
        })
        .join('');
      return `<details${i === 0 ? ' open' : ''}><summary><span class="mono">${esc(r.runId)}</span><span class="sub">${esc(r.model.name)} · protocol ${esc(r.protocol)}${r.imported ? ` · imported from ${esc(r.imported.label)}` : ''}</span></summary><div class="inner scroll"><table><thead><tr><th class="l">Benchmark</th>${profiles.map((p) => `<th class="mono">${esc(p)}</th>`).join('')}<th>spread</th></tr></thead><tbody>${body}</tbody></table></div></details>`;
    })
    .filter((s) => s !== '')
    .join('\n');
  return `<section id="sensitivity"><h2>Scorer sensitivity</h2><p class="lead">The same predictions scored by every reference implementation (profile). Bold: the profile the leaderboard uses. The spread (highest minus lowest) is how much of a difference between two harnesses is only the scorer; spreads of a point or more are in red.</p>${blocks || '<p>No profiles in these runs.</p>'}</section>`;
}

function ms(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '—' : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(0)} ms`;
}

function throughputSection(board: Leaderboard): string {
  const rows = board.runs
    .map((r) => {
      const t = r.throughput;
      if (!t) return `<tr><td class="l mono">${esc(r.runId)}</td><td class="l na" colspan="8">no throughput.json</td></tr>`;
      const errs = Object.entries(t.errorsByKind).map(([k, n]) => `${k} ${n}`).join(', ');
      return `<tr><td class="l"><span class="mono">${esc(r.runId)}</span><span class="sub">${esc(t.engine ?? '')}${t.session ? ` · session ${esc(t.session)}` : ''}</span></td><td>${esc(t.completed.toLocaleString('en'))}</td><td>${esc(t.wallSeconds.toFixed(1))} s</td><td><b>${esc(t.samplesPerSecond.toFixed(2))}</b></td><td><b>${esc(t.outputTokens > 0 ? t.outputTokensPerSecond.toFixed(1) : 'n/a')}</b></td><td>${esc(ms(t.latencyMs?.p50))} / ${esc(ms(t.latencyMs?.p90))} / ${esc(ms(t.latencyMs?.p99))}</td><td>${esc(ms(t.ttftMs?.p50))} / ${esc(ms(t.ttftMs?.p90))} / ${esc(ms(t.ttftMs?.p99))}</td><td>${esc(t.retries)}</td><td class="l">${esc(t.errors)}${errs ? `<span class="sub">${esc(errs)}</span>` : ''}</td></tr>`;
    })
    .join('');
  return `<section id="throughput"><h2>Throughput</h2><p class="lead">The sessions of each run that made requests, combined (throughput.json keeps every session): completed requests, wall time, samples and output tokens per second, request latency and time to first token percentiles.</p><div class="scroll"><table><thead><tr><th class="l">Run</th><th>Samples</th><th>Wall</th><th>Samples/s</th><th>Tokens/s</th><th>Latency p50 / p90 / p99</th><th>TTFT p50 / p90 / p99</th><th>Retries</th><th class="l">Errors</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

function samplesSection(view: SamplesView): string {
  const total = view.runs.reduce((n, r) => n + Object.values(r.benches).reduce((m, l) => m + (l?.length ?? 0), 0), 0);
  return `<section id="samples"><h2>Sample browser</h2><p class="lead">Every scored item of every run: question, the model's raw prediction, the references, and whether it was correct under the primary profile. ${total.toLocaleString('en')} items in all; ${view.thumbs.length.toLocaleString('en')} small thumbnails embedded.</p>
<div id="sb" class="nojs"><div class="sb-controls">
<label>Run<select id="sb-run"></select></label>
<label>Benchmark<select id="sb-bench"></select></label>
<label>Outcome<select id="sb-outcome"><option value="all">all outcomes</option></select></label>
<label>Category<select id="sb-category"><option value="all">all categories</option></select></label>
<label>Search<input id="sb-search" type="search" placeholder="id, question, prediction or answer" autocomplete="off"></label>
</div><p id="sb-count">The sample browser needs JavaScript.</p><div id="sb-list" class="cards"></div><button id="sb-more" class="more hidden" type="button">Show more</button></div>
<script id="cogeval-samples" type="application/json">${jsonForHtml(view)}</script></section>`;
}

function notesSection(board: Leaderboard, notes: readonly string[]): string {
  const items: string[] = [];
  for (const s of board.skipped) items.push(`Skipped <code>${esc(s.dir)}</code>: ${esc(s.reason)}`);
  for (const r of board.runs) for (const p of r.problems) items.push(`<code>${esc(r.runId)}</code>: ${esc(p)}`);
  for (const n of notes) items.push(esc(n));
  const src = board.reportedSource;
  return `<section id="notes"><h2>Notes and sources</h2><ul class="notes">
<li>Reported scores: ${esc(src.document)} (<code>${esc(src.repository)}</code> at <code>${esc(src.commit.slice(0, 12))}</code>), transcribed in <code>${esc(src.transcribedIn)}</code>. ${esc(src.note)}</li>
<li>How each benchmark is scored under each profile: <code>docs/scoring.md</code>; the model facts the engine and the verdicts rely on (prompt layout, decoding, the README table): <code>docs/cogvlm2.md</code> — both in the cogeval repository, next to this tool's README.</li>
<li>Confidence intervals: Wilson score interval for 0/1 units (ChartQA, OCRBench, MMMU, MMBench groups); seeded percentile bootstrap (2,000 resamples) for graded units (TextVQA, DocVQA, MM-Vet).</li>
${items.map((i) => `<li>${i}</li>`).join('\n')}
</ul></section>`;
}

/** Renders the whole page. */
export function renderHtml(inputs: HtmlInputs): string {
  const { board } = inputs;
  const csp = contentSecurityPolicy(REPORT_SCRIPT, REPORT_CSS);
  const benchesRun = new Set<BenchId>(board.runs.flatMap((r) => r.benches));
  const chips = [
    `${board.runs.length} run(s)`,
    `${BENCH_IDS.filter((b) => benchesRun.has(b)).length} benchmark(s)`,
    `${board.rows.filter((r) => r.kind === 'reported').length} README rows`,
    `generated ${board.generatedAt.replace('T', ' ').slice(0, 16)} UTC`,
    `cogeval ${inputs.version}`,
  ];
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${esc(board.title)}</title>
<link rel="icon" href="data:,">
<style>${REPORT_CSS}</style>
</head><body>
<header class="top"><div class="wrap"><h1>${esc(board.title)}</h1><p>Measured CogVLM2 scores beside the README table, with 95% confidence intervals, reproduction verdicts, scorer sensitivity and every sample.</p><div class="chips">${chips.map((c) => `<span class="chip">${esc(c)}</span>`).join('')}</div></div></header>
<nav class="toc"><div class="wrap"><a href="#leaderboard">Leaderboard</a><a href="#charts">Charts</a><a href="#verdicts">Verdicts</a><a href="#categories">Categories</a><a href="#sensitivity">Scorer sensitivity</a><a href="#throughput">Throughput</a><a href="#samples">Samples</a><a href="#notes">Notes</a></div></nav>
<main class="wrap">
${leaderboardSection(board)}
${chartsSection(board)}
${verdictSection(board)}
${categoriesSection(board)}
${sensitivitySection(board)}
${throughputSection(board)}
${samplesSection(inputs.samples)}
${notesSection(board, inputs.notes)}
</main>
<footer class="wrap">Generated by cogeval ${esc(inputs.version)}. This file is self-contained: it loads nothing from the network.</footer>
<script>${REPORT_SCRIPT}</script>
</body></html>
`;
}

