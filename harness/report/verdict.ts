// The reproduction verdict of one measured benchmark score against the CogVLM2 README's number:
// reproduced / above / below / not comparable / no reported value / no score, and its rules.

export type VerdictKind = 'reproduced' | 'above' | 'below' | 'not-comparable' | 'no-reported' | 'no-score';

export interface Verdict {
  kind: VerdictKind;
  /** Short label for tables and badges. */
  label: string;
  /** One sentence that says why. */
  explanation: string;
  /** Set when there are both a measured interval and a reported value. */
  reportedInsideCi?: boolean;
  /** The run covers only part of the benchmark (limit, shard, missing samples). */
  partial?: string;
}

export interface VerdictInput {
  /** Measured score on the table's scale (NaN when nothing counted). */
  value: number;
  ciLo: number;
  ciHi: number;
  n: number;
  scale: 'percent' | 'points1000';
  /** The reported value on the table's scale, or undefined. */
  reported: number | undefined;
  /** Why there is no reported value (no table row for the model, an empty cell). */
  noReportedWhy?: string;
  /** Why the benchmark was not scored (unscored reason, not in the run). */
  noScoreWhy?: string;
  /** Why the measurement is not the reported quantity (another split, demo data); undefined when comparable. */
  notComparableWhy?: string;
  /** Why the run is partial (only part of the benchmark), undefined when complete. */
  partialWhy?: string;
}

/** The rules, as shown in the report. */
export const VERDICT_RULES: readonly { kind: VerdictKind; label: string; rule: string }[] = [
  { kind: 'reproduced', label: 'reproduced', rule: 'The reported value lies inside the 95% confidence interval of our score (widened by half a unit of the last printed digit, since the README rounds).' },
  { kind: 'above', label: 'above', rule: 'Our whole 95% interval lies above the reported value: the run scores higher than the README.' },
  { kind: 'below', label: 'below', rule: 'Our whole 95% interval lies below the reported value: the run scores lower than the README.' },
  { kind: 'not-comparable', label: 'not comparable', rule: 'The numbers measure different things: the README most likely reports another split (DocVQA test; MMBench dev or test unknown), or the run used the bundled demo set. Whether the reported value falls inside our interval is still shown, for information.' },
  { kind: 'no-reported', label: 'no reported value', rule: "The README has no number for this model and benchmark (a model without a README row, or a '-' cell)." },
  { kind: 'no-score', label: 'no score', rule: 'The run has no score here: not run, a split without public answers, or every item excluded (e.g. MM-Vet without a judge).' },
];

function fmt(x: number, scale: 'percent' | 'points1000'): string {
  return scale === 'percent' ? x.toFixed(1) : x.toFixed(0);
}

/** Decides the verdict; pure. */
export function decideVerdict(v: VerdictInput): Verdict {
  const partial = v.partialWhy;
  if (v.noScoreWhy !== undefined || !Number.isFinite(v.value) || v.n === 0) {
    return { kind: 'no-score', label: 'no score', explanation: v.noScoreWhy ?? 'no item counted towards the score', partial };
  }
  if (v.reported === undefined) {
    return { kind: 'no-reported', label: 'no reported value', explanation: v.noReportedWhy ?? 'the README has no value here', partial };
  }
  const half = v.scale === 'percent' ? 0.05 : 0.5;
  const haveCi = Number.isFinite(v.ciLo) && Number.isFinite(v.ciHi);
  const inside = haveCi ? v.reported >= v.ciLo - half && v.reported <= v.ciHi + half : Math.abs(v.reported - v.value) <= half;
  const ci = haveCi ? `[${fmt(v.ciLo, v.scale)}, ${fmt(v.ciHi, v.scale)}]` : '(no interval)';
  const where = `reported ${fmt(v.reported, v.scale)} ${inside ? 'lies inside' : 'lies outside'} our 95% CI ${ci}`;
  if (v.notComparableWhy !== undefined) {
    return { kind: 'not-comparable', label: 'not comparable', explanation: `${v.notComparableWhy}; for information: ${where}`, reportedInsideCi: inside, partial };
  }
  if (inside) return { kind: 'reproduced', label: 'reproduced', explanation: where, reportedInsideCi: true, partial };
  const kind: VerdictKind = v.value > v.reported ? 'above' : 'below';
  return { kind, label: kind, explanation: `${where}: measured ${fmt(v.value, v.scale)} is ${kind} the reported value`, reportedInsideCi: false, partial };
}
