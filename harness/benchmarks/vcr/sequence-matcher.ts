// Python difflib.SequenceMatcher(None, a, b).ratio() over code points: the similarity VCR's
// reference scorers use to pick the prediction n-gram closest to a masked phrase.

interface Block {
  i: number;
  j: number;
  size: number;
}

/** The matcher's view of `b`: element → ascending positions, minus "popular" elements (autojunk). */
function chainB(b: readonly string[]): { b2j: Map<string, number[]>; popular: Set<string> } {
  const b2j = new Map<string, number[]>();
  b.forEach((elt, j) => {
    const list = b2j.get(elt);
    if (list) list.push(j);
    else b2j.set(elt, [j]);
  });
  const popular = new Set<string>();
  const n = b.length;
  // difflib's autojunk heuristic: only for sequences of 200 or more elements.
  if (n >= 200) {
    const ntest = Math.floor(n / 100) + 1;
    for (const [elt, idxs] of b2j) if (idxs.length > ntest) popular.add(elt);
    for (const elt of popular) b2j.delete(elt);
  }
  return { b2j, popular };
}

function findLongestMatch(
  a: readonly string[],
  b: readonly string[],
  b2j: Map<string, number[]>,
  alo: number,
  ahi: number,
  blo: number,
  bhi: number,
): Block {
  let besti = alo;
  let bestj = blo;
  let bestsize = 0;
  let j2len = new Map<number, number>();
  for (let i = alo; i < ahi; i++) {
    const newj2len = new Map<number, number>();
    for (const j of b2j.get(a[i]) ?? []) {
      if (j < blo) continue;
      if (j >= bhi) break;
      const k = (j2len.get(j - 1) ?? 0) + 1;
      newj2len.set(j, k);
      if (k > bestsize) {
        besti = i - k + 1;
        bestj = j - k + 1;
        bestsize = k;
      }
    }
    j2len = newj2len;
  }
  // With isjunk=None the junk set is empty, so the two "non-junk" extension loops of difflib
  // extend over every equal neighbour (popular elements included) and the junk loops never run.
  while (besti > alo && bestj > blo && a[besti - 1] === b[bestj - 1]) {
    besti--;
    bestj--;
    bestsize++;
  }
  while (besti + bestsize < ahi && bestj + bestsize < bhi && a[besti + bestsize] === b[bestj + bestsize]) bestsize++;
  return { i: besti, j: bestj, size: bestsize };
}

/** Total size of difflib's matching blocks between two code-point sequences. */
export function matchingCharacters(aText: string, bText: string): number {
  const a = Array.from(aText);
  const b = Array.from(bText);
  const { b2j } = chainB(b);
  const queue: Array<[number, number, number, number]> = [[0, a.length, 0, b.length]];
  let total = 0;
  while (queue.length > 0) {
    const [alo, ahi, blo, bhi] = queue.pop() as [number, number, number, number];
    const m = findLongestMatch(a, b, b2j, alo, ahi, blo, bhi);
    if (m.size > 0) {
      total += m.size;
      if (alo < m.i && blo < m.j) queue.push([alo, m.i, blo, m.j]);
      if (m.i + m.size < ahi && m.j + m.size < bhi) queue.push([m.i + m.size, ahi, m.j + m.size, bhi]);
    }
  }
  return total;
}

/** difflib.SequenceMatcher(None, a, b).ratio(): 2·M / (len(a) + len(b)), 1.0 for two empty strings. */
export function sequenceMatcherRatio(a: string, b: string): number {
  const la = Array.from(a).length;
  const lb = Array.from(b).length;
  if (la + lb === 0) return 1;
  return (2 * matchingCharacters(a, b)) / (la + lb);
}
