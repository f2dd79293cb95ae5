// The end-of-run summary of failures: the distinct reasons of failed samples (or judge calls) with
// their counts, most frequent first, e.g. `8 × ECONNREFUSED 127.0.0.1:9`.

/** A failure message without its per-sample parts (attempt counts), so equal causes group together. */
export function reasonKey(message: string): string {
  return (
    message
      .replace(/\s*\(after \d+ attempts?\)/g, '')
      .replace(/\s+/g, ' ')
      .trim()
      // `127.0.0.1:9: connect ECONNREFUSED 127.0.0.1:9` → `ECONNREFUSED 127.0.0.1:9`
      .replace(/^(\S+): connect (E[A-Z]+) \1$/, '$2 $1')
  );
}

export interface ReasonCount {
  reason: string;
  count: number;
}

/** Counts the reasons, most frequent first (ties in first-seen order). */
export function countReasons(messages: Iterable<string>): ReasonCount[] {
  const counts = new Map<string, number>();
  for (const m of messages) {
    const k = reasonKey(m);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts.entries()].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}

/** `N × reason` lines for the top `top` reasons, and one line for the rest. */
export function formatReasons(reasons: readonly ReasonCount[], top = 5): string[] {
  const lines = reasons.slice(0, top).map((r) => `  ${r.count} × ${r.reason}`);
  const rest = reasons.slice(top);
  if (rest.length > 0) lines.push(`  ${rest.reduce((a, r) => a + r.count, 0)} × (${rest.length} other reason(s); see predictions.jsonl)`);
  return lines;
}
