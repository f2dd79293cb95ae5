// Child process of the `cli` bench: scores one predictions file in-process under the benchmark's
// default profile, REPEATS times, and prints the times (the first one is a cold start: nothing
// compiled yet, as in a `cogeval score` process). Like the Python reference, the records are read
// and parsed before the clock starts (parse time is reported apart).
// Usage: node score-inprocess.js BENCH FILE REPEATS
import { readFileSync } from 'node:fs';
import { SCORERS } from '../harness/metrics/registry.js';
import type { BenchId } from '../harness/metrics/types.js';

const [bench, file, repeats] = process.argv.slice(2);
const scorer = SCORERS[bench as BenchId];
const records = readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Record<string, unknown>);
const p0 = process.hrtime.bigint();
const items = records.map((r) => scorer.parseRecord(r));
const parseMs = Number(process.hrtime.bigint() - p0) / 1e6;
const ms: number[] = [];
let accuracy = 0;
for (let i = 0; i < Number(repeats); i++) {
  const t0 = process.hrtime.bigint();
  const results = scorer.scoreItems(items, scorer.defaultProfile, { judgeMode: 'exact-matching' });
  ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  accuracy = results.reduce((s, r) => s + (r.value ?? 0), 0) / results.length;
}
process.stdout.write(JSON.stringify({ bench, items: records.length, accuracy, parseMs, ms }) + '\n');
