// Finding dataset files under a directory (bounded depth, sorted, symlinks followed as the HF
// cache's snapshot folders need).
import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * Files under `dir` (to `maxDepth` levels of folders) whose path relative to `dir`, with `/`
 * separators, satisfies `accept`; sorted by that relative path. Hidden entries are skipped.
 */
export async function findFiles(dir: string, accept: (relPath: string) => boolean, maxDepth = 4): Promise<string[]> {
  const found: string[] = [];
  async function walk(folder: string, depth: number): Promise<void> {
    let names: string[];
    try {
      names = await readdir(folder);
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(folder, name);
      let isDir = false;
      let isFile = false;
      try {
        const s = await stat(path);
        isDir = s.isDirectory();
        isFile = s.isFile();
      } catch {
        continue; // a dangling link
      }
      if (isDir && depth < maxDepth) await walk(path, depth + 1);
      else if (isFile && accept(relative(dir, path).split(sep).join('/'))) found.push(path);
    }
  }
  await walk(dir, 0);
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Files under `dir` (to `maxDepth`) whose base name is one of `names` (case-sensitive), sorted. */
export function findNamed(dir: string, names: readonly string[], maxDepth = 2): Promise<string[]> {
  return findFiles(dir, (rel) => names.includes(rel.slice(rel.lastIndexOf('/') + 1)), maxDepth);
}

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
