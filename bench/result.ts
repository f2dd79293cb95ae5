// The shape every benchmark module returns to the runner (bench/index.ts).
export interface BenchResult {
  name: string;
  metric: string;
  value: number;
  unit: string;
  target?: string;
  /** Whether the target is met (absent when the result has no target). */
  pass?: boolean;
  note?: string;
}
