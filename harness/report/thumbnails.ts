// Small WebP thumbnails for the sample browser. A run stores no images, so the report re-opens
// each benchmark's data (by the run's dataset provenance, or --data/--data-dir), checks that it is
// the same revision, and shrinks the first image of the items the runs hold — within a total size
// cap. Data that is absent or different gives no thumbnails and a note, never an error.
import sharp from 'sharp';
import type { BenchDataset, ImageRef } from '../datasets/types.js';
import { isSampleFailure } from '../datasets/types.js';
import type { BenchId } from '../metrics/types.js';
import type { DatasetProvenance } from '../run/config.js';
import type { LoadedRun } from './load-runs.js';
import { thumbnailKey } from './samples-view.js';

export interface ThumbnailOptions {
  /** Total size of all thumbnails as data: URIs, in bytes. */
  budgetBytes: number;
  /** Longest side in pixels. */
  maxSide?: number;
  /** WebP quality (1–100). */
  quality?: number;
  /** Opens a benchmark's data for a run's provenance; throws (any error) when it is not available. */
  openDataset: (bench: BenchId, provenance: DatasetProvenance) => Promise<BenchDataset>;
}

export interface ThumbnailResult {
  thumbs: Map<string, string>;
  /** What the reader should know (data not found, another revision, the cap reached). */
  notes: string[];
  made: number;
  bytes: number;
  /** Items the runs hold that got no thumbnail. */
  without: number;
}

/** Images shrunk at once (sharp works on its own threads). */
const CONCURRENCY = 4;

interface Group {
  bench: BenchId;
  revision: string;
  provenance: DatasetProvenance;
  ids: Set<string>;
}

function groupsOf(runs: readonly LoadedRun[]): Group[] {
  const groups = new Map<string, Group>();
  for (const run of runs) {
    for (const s of run.samples) {
      const prov = run.manifest.config.datasets?.[s.bench];
      if (!prov) continue;
      const key = `${s.bench}\u0000${prov.revision}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { bench: s.bench, revision: prov.revision, provenance: prov, ids: new Set() }));
      g.ids.add(s.id);
    }
  }
  return [...groups.values()];
}

/** One thumbnail as a data: URI, or null when the image cannot be decoded. */
export async function makeThumbnail(bytes: Uint8Array, maxSide = 160, quality = 55): Promise<string | null> {
  try {
    const out = await sharp(bytes, { limitInputPixels: 100_000_000 })
      .resize(maxSide, maxSide, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .webp({ quality, effort: 2 })
      .toBuffer();
    return `data:image/webp;base64,${out.toString('base64')}`;
  } catch {
    return null; // an undecodable image: the sample simply has no thumbnail (counted)
  }
}

async function thumbnailOf(image: ImageRef, opts: ThumbnailOptions): Promise<string | null> {
  let bytes: Uint8Array;
  try {
    bytes = await image.bytes();
  } catch {
    return null; // bytes that cannot be read: no thumbnail, counted as undecodable
  }
  return makeThumbnail(bytes, opts.maxSide, opts.quality);
}

/** Makes thumbnails for the items of the runs, benchmark by benchmark, sharing the budget. */
export async function collectThumbnails(runs: readonly LoadedRun[], opts: ThumbnailOptions): Promise<ThumbnailResult> {
  const result: ThumbnailResult = { thumbs: new Map(), notes: [], made: 0, bytes: 0, without: 0 };
  const groups = groupsOf(runs);
  let undecodable = 0;
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi];
    // Each group gets an equal share of what is left, so one large benchmark cannot take it all.
    const share = (opts.budgetBytes - result.bytes) / (groups.length - gi);
    let ds: BenchDataset;
    try {
      ds = await opts.openDataset(g.bench, g.provenance);
    } catch (err) {
      result.without += g.ids.size;
      result.notes.push(`${g.bench}: no thumbnails — the run's data (${g.provenance.description}) is not available here: ${(err as Error).message.split('\n')[0]}`);
      continue;
    }
    if (ds.revision !== g.revision) {
      result.without += g.ids.size;
      result.notes.push(`${g.bench}: no thumbnails — the data found (${ds.revision}) is not the revision the run used (${g.revision})`);
      continue;
    }
    const left = new Set(g.ids);
    let used = 0;
    let full = false;
    let batch: { id: string; image: ImageRef }[] = [];
    // Shrinks the batch in parallel, then keeps the thumbnails in dataset order until the share is used.
    const flush = async (): Promise<void> => {
      const uris = await Promise.all(batch.map((b) => thumbnailOf(b.image, opts)));
      for (let k = 0; k < batch.length; k++) {
        const uri = uris[k];
        if (uri === null) {
          undecodable++;
          continue;
        }
        if (used + uri.length > share) {
          full = true; // the rest of this benchmark's items go without
          break;
        }
        used += uri.length;
        result.bytes += uri.length;
        result.made++;
        result.thumbs.set(thumbnailKey(g.bench, g.revision, batch[k].id), uri);
      }
      batch = [];
    };
    for await (const item of ds.samples()) {
      if (left.size === 0 || full) break;
      if (isSampleFailure(item) || !left.has(item.id)) continue;
      left.delete(item.id);
      const image = item.images[0];
      if (!image) continue;
      batch.push({ id: item.id, image });
      if (batch.length >= CONCURRENCY) await flush();
    }
    if (!full && batch.length > 0) await flush();
    result.without += g.ids.size - [...g.ids].filter((id) => result.thumbs.has(thumbnailKey(g.bench, g.revision, id))).length;
    if (full) result.notes.push(`${g.bench}: thumbnails for the first items only — the size cap (${(opts.budgetBytes / 1e6).toFixed(1)} MB in all) was reached`);
    else if (left.size > 0) result.notes.push(`${g.bench}: ${left.size} item(s) of the runs were not found in the data`);
  }
  if (undecodable > 0) result.notes.push(`${undecodable} image(s) could not be decoded; those items have no thumbnail`);
  return result;
}
