// The HTML report's one inline stylesheet (system fonts, no external resources). Its SHA-256 goes
// into the Content-Security-Policy, so it is a constant: ASCII only, no interpolation.
export const REPORT_CSS = `
:root {
  --fg: #1f2328; --muted: #59636e; --faint: #8c959f; --line: #d1d9e0; --soft: #f6f8fa; --bg: #ffffff;
  --accent: #0b57d0; --accent-soft: #e8f0fe; --run: #f3f8ff;
  --green: #1a7f37; --green-soft: #dafbe1; --blue: #0969da; --blue-soft: #ddf4ff;
  --red: #cf222e; --red-soft: #ffebe9; --amber: #9a6700; --amber-soft: #fff8c5; --grey-soft: #eff2f5;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif; color: var(--fg); background: var(--soft); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
header.top { background: linear-gradient(120deg, #0b1f44 0%, #123a7a 60%, #1f5fbf 100%); color: #fff; padding: 28px 0 22px; }
header.top h1 { margin: 0 0 4px; font-size: 26px; font-weight: 650; letter-spacing: -0.01em; }
header.top p { margin: 0; color: #c8d6f0; }
header.top .chips { margin-top: 14px; display: flex; flex-wrap: wrap; gap: 8px; }
header.top .chip { background: rgba(255,255,255,0.12); border: 1px solid rgba(255,255,255,0.2); border-radius: 999px; padding: 3px 11px; font-size: 12.5px; color: #fff; }
.wrap { max-width: 1320px; margin: 0 auto; padding: 0 24px; }
nav.toc { position: sticky; top: 0; z-index: 5; background: rgba(255,255,255,0.95); border-bottom: 1px solid var(--line); }
nav.toc .wrap { display: flex; gap: 18px; overflow-x: auto; padding-top: 10px; padding-bottom: 10px; }
nav.toc a { color: var(--muted); font-weight: 550; white-space: nowrap; }
nav.toc a:hover { color: var(--accent); text-decoration: none; }
main { padding: 8px 0 48px; }
section { scroll-margin-top: 56px; background: var(--bg); border: 1px solid var(--line); border-radius: 10px; margin: 20px 0; padding: 20px 22px; }
section > h2 { margin: 0 0 4px; font-size: 19px; font-weight: 650; }
section > p.lead { margin: 0 0 14px; color: var(--muted); max-width: 900px; }
h3 { font-size: 15px; margin: 18px 0 8px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 7px 10px; border-bottom: 1px solid var(--line); text-align: right; vertical-align: top; }
th { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); font-weight: 600; background: var(--soft); position: sticky; top: 0; }
th.l, td.l { text-align: left; }
td:not(.l), td.mono, th { white-space: nowrap; }
th.mono { text-transform: none; letter-spacing: 0; font-size: 12px; }
tbody tr:hover td { background: #fafbfc; }
table.board td.model { min-width: 200px; max-width: 330px; }
table.board td.model .mono, td .mono, summary .mono { overflow-wrap: anywhere; }
table.cat { width: auto; min-width: 420px; }
table.cat td:not(.l) { min-width: 96px; }
table.board tr.run td { background: var(--run); }
table.board tr.run:hover td { background: #e9f2ff; }
table.board tr.cog td.model { font-weight: 650; }
table.board td.na { color: var(--faint); }
table.board th.extra, table.board td.extra { color: var(--faint); }
.best { font-weight: 700; }
.sub { display: block; font-size: 12px; color: var(--muted); font-weight: 400; }
.ci { display: block; font-size: 11.5px; color: var(--muted); }
#sensitivity td .ci { white-space: normal; min-width: 90px; }
.tag { display: inline-block; font-size: 11px; font-weight: 600; padding: 1px 7px; border-radius: 999px; background: var(--grey-soft); color: var(--muted); margin-left: 6px; vertical-align: 1px; }
.tag.measured { background: var(--accent-soft); color: var(--accent); }
.badge { display: inline-block; font-size: 11.5px; font-weight: 600; padding: 1px 8px; border-radius: 999px; white-space: nowrap; border: 1px solid transparent; }
.v-reproduced .badge, .badge.v-reproduced { background: var(--green-soft); color: var(--green); border-color: #aceebb; }
.v-above .badge, .badge.v-above { background: var(--blue-soft); color: var(--blue); border-color: #b6e3ff; }
.v-below .badge, .badge.v-below { background: var(--red-soft); color: var(--red); border-color: #ffcecb; }
.v-not-comparable .badge, .badge.v-not-comparable { background: var(--amber-soft); color: var(--amber); border-color: #f0dc8c; }
.v-no-reported .badge, .badge.v-no-reported, .v-no-score .badge, .badge.v-no-score { background: var(--grey-soft); color: var(--muted); border-color: var(--line); }
.dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 5px; vertical-align: 1px; background: var(--faint); }
.v-reproduced .dot { background: var(--green); } .v-above .dot { background: var(--blue); } .v-below .dot { background: var(--red); } .v-not-comparable .dot { background: #d4a72c; }
.summary { display: flex; flex-wrap: wrap; gap: 10px; margin: 6px 0 16px; }
.summary .stat { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 120px; background: var(--bg); }
.summary .stat b { display: block; font-size: 22px; font-weight: 650; }
.summary .stat span { color: var(--muted); font-size: 12.5px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 18px; }
.chartbox { border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px 8px; }
.chartbox h3 { margin: 0 0 2px; }
.chartbox p { margin: 0 0 6px; color: var(--muted); font-size: 12.5px; }
.chartbox svg { width: 100%; height: auto; display: block; }
svg.chart text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 11.5px; fill: var(--fg); }
svg.chart text.tick { fill: var(--faint); font-size: 10.5px; }
svg.chart text.readme, svg.chart text.na { fill: var(--muted); font-style: italic; }
svg.chart text.value { font-weight: 600; }
svg.chart line.grid { stroke: #eaeef2; stroke-width: 1; }
svg.chart line.lane { stroke: #f0f2f4; stroke-width: 1; }
svg.chart line.rtick { stroke: #a8b1bb; stroke-width: 2; }
svg.chart line.rtick.ours { stroke: #57606a; stroke-width: 3; }
svg.chart line.ci { stroke: var(--faint); stroke-width: 2; }
svg.chart circle.measured { fill: var(--faint); stroke: #fff; stroke-width: 1.5; }
svg.chart path.reported { fill: #fff; stroke: #24292f; stroke-width: 1.6; }
svg.chart .v-reproduced line.ci { stroke: var(--green); } svg.chart .v-reproduced circle.measured { fill: var(--green); }
svg.chart .v-above line.ci { stroke: var(--blue); } svg.chart .v-above circle.measured { fill: var(--blue); }
svg.chart .v-below line.ci { stroke: var(--red); } svg.chart .v-below circle.measured { fill: var(--red); }
svg.chart .v-not-comparable line.ci { stroke: #d4a72c; } svg.chart .v-not-comparable circle.measured { fill: #d4a72c; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; color: var(--muted); font-size: 12.5px; margin-bottom: 12px; }
.legend svg { vertical-align: -3px; margin-right: 4px; }
.legend line.ci { stroke: var(--faint); stroke-width: 2; } .legend circle { fill: var(--green); }
.legend path { fill: #fff; stroke: #24292f; stroke-width: 1.6; } .legend line.rtick { stroke: #57606a; stroke-width: 3; }
ul.rules { margin: 6px 0 0; padding-left: 0; list-style: none; }
ul.rules li { margin: 6px 0; }
details { border: 1px solid var(--line); border-radius: 8px; margin: 10px 0; background: var(--bg); }
details > summary { cursor: pointer; padding: 9px 14px; font-weight: 600; list-style-position: inside; }
details > summary .sub { display: inline; margin-left: 8px; }
details[open] > summary { border-bottom: 1px solid var(--line); }
details > .inner { padding: 10px 14px 14px; }
td.h0 { background: #fff5f5; } td.h1 { background: #ffeceb; } td.h2 { background: #fff1e0; } td.h3 { background: #fff8d6; } td.h4 { background: #fbfbdc; }
td.h5 { background: #f1f9dc; } td.h6 { background: #e6f6df; } td.h7 { background: #d9f2dc; } td.h8 { background: #c9ecd0; } td.h9 { background: #b5e4c1; }
td.prim { font-weight: 700; }
td.spread.big { color: var(--red); font-weight: 600; }
.notes li { margin: 4px 0; color: var(--muted); }
.notes code { color: var(--fg); }
.sb-controls { display: flex; flex-wrap: wrap; gap: 10px 16px; align-items: end; margin-bottom: 12px; }
.sb-controls label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); font-weight: 600; gap: 3px; }
.sb-controls select, .sb-controls input { font: inherit; font-size: 13.5px; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); min-width: 150px; max-width: 340px; }
.sb-controls input { min-width: 240px; }
#sb-count { color: var(--muted); margin: 0 0 10px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 12px; }
.card { display: flex; gap: 12px; border: 1px solid var(--line); border-left: 4px solid var(--faint); border-radius: 8px; padding: 10px 12px; background: var(--bg); min-width: 0; }
.card.o-correct { border-left-color: var(--green); } .card.o-partial { border-left-color: #d4a72c; } .card.o-wrong { border-left-color: var(--red); }
.card.o-excluded { border-left-color: #8250df; } .card.o-failed { border-left-color: #57606a; }
.card .thumb { flex: 0 0 96px; }
.card .thumb img { width: 96px; height: auto; min-height: 24px; object-fit: contain; border-radius: 4px; border: 1px solid var(--line); background: var(--soft); display: block; }
.card .thumb .none { width: 96px; height: 72px; border-radius: 4px; border: 1px dashed var(--line); color: var(--faint); font-size: 11px; display: flex; align-items: center; justify-content: center; text-align: center; }
.card .body { flex: 1 1 auto; min-width: 0; }
.card .head { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 4px; }
.card .sid { font-weight: 650; }
.card .val { color: var(--muted); font-size: 12px; margin-left: auto; }
.card dl { margin: 0; display: grid; grid-template-columns: 86px 1fr; gap: 2px 10px; }
.card dt { color: var(--muted); font-size: 12px; font-weight: 600; padding-top: 1px; }
.card dd { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.card dd.pred { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; background: var(--soft); border-radius: 4px; padding: 1px 5px; }
.card .chips { margin-top: 6px; display: flex; flex-wrap: wrap; gap: 4px; }
.card .chip { font-size: 11px; background: var(--grey-soft); color: var(--muted); border-radius: 4px; padding: 0 6px; }
.card details { margin: 6px 0 0; border: none; }
.card details > summary { padding: 0; font-size: 12px; color: var(--muted); font-weight: 500; }
.card details[open] > summary { border: none; }
.card pre { margin: 4px 0 0; white-space: pre-wrap; overflow-wrap: anywhere; background: var(--soft); padding: 6px 8px; border-radius: 4px; }
.badge.o-correct { background: var(--green-soft); color: var(--green); } .badge.o-partial { background: var(--amber-soft); color: var(--amber); }
.badge.o-wrong { background: var(--red-soft); color: var(--red); } .badge.o-excluded { background: #fbefff; color: #8250df; } .badge.o-failed { background: var(--grey-soft); color: #57606a; }
.badge.status { background: var(--grey-soft); color: var(--muted); font-weight: 500; }
button.more { margin-top: 14px; font: inherit; font-weight: 600; padding: 7px 16px; border-radius: 6px; border: 1px solid var(--line); background: var(--soft); color: var(--fg); cursor: pointer; }
button.more:hover { background: var(--accent-soft); border-color: var(--accent); }
.hidden { display: none !important; }
footer { color: var(--muted); font-size: 12.5px; padding: 10px 0 30px; }
@media (max-width: 720px) { .cards, .charts { grid-template-columns: 1fr; } .card { flex-direction: column; } }
`;
