// The Hugging Face hub cache layout, read and written without the network:
// datasets--org--name/{blobs/<etag>, snapshots/<commit>/<path> → ../../blobs/<etag>, refs/<ref>}.
// @huggingface/hub never reads refs itself, so resolving a ref to a commit offline happens here.
import { mkdir, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { writeFileAtomicAsync } from '../../util/atomic-write.js';
import { basename, join, relative, sep } from 'node:path';

const COMMIT_RE = /^[0-9a-f]{40}$/;

export function isCommitHash(s: string): boolean {
  return COMMIT_RE.test(s);
}

/** `org/name` → `datasets--org--name` (huggingface_hub's repo_folder_name for a dataset). */
export function repoFolderName(repo: string): string {
  return ['datasets', ...repo.split('/')].join('--');
}

export function repoFolder(cacheDir: string, repo: string): string {
  return join(cacheDir, repoFolderName(repo));
}

export function snapshotDir(cacheDir: string, repo: string, commit: string): string {
  return join(repoFolder(cacheDir, repo), 'snapshots', commit);
}

export function blobPath(cacheDir: string, repo: string, etag: string): string {
  return join(repoFolder(cacheDir, repo), 'blobs', etag);
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/** The first of `repos` whose folder exists in the cache (the primary name, then its aliases). */
export async function cachedRepoName(cacheDir: string, repos: readonly string[]): Promise<string | undefined> {
  for (const repo of repos) if (await exists(repoFolder(cacheDir, repo))) return repo;
  return undefined;
}

/** Reads refs/<ref> → commit; undefined when absent. A ref file that is not a commit hash is an error. */
export async function readRef(cacheDir: string, repo: string, ref: string): Promise<string | undefined> {
  const file = join(repoFolder(cacheDir, repo), 'refs', ref);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  const commit = text.trim();
  if (!isCommitHash(commit)) {
    throw new Error(`${file}: expected a 40-hex commit hash, found ${JSON.stringify(commit.slice(0, 60))}; delete the file and run the pull again`);
  }
  return commit;
}

/** Writes refs/<ref> = commit, as huggingface_hub does after resolving a branch (no trailing newline). */
export async function writeRef(cacheDir: string, repo: string, ref: string, commit: string): Promise<void> {
  const file = join(repoFolder(cacheDir, repo), 'refs', ref);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFileAtomicAsync(file, commit);
}

/** A glob on one file name, `*` matching any run of characters except `/`. */
export function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${escaped}$`);
}

/** Does a repo-relative path lie directly in `dir` and match the file-name glob? */
export function matchesShard(path: string, dir: string, pattern: string): boolean {
  const prefix = dir === '' ? '' : `${dir.replace(/\/+$/, '')}/`;
  if (!path.startsWith(prefix)) return false;
  const rest = path.slice(prefix.length);
  return !rest.includes('/') && globToRegExp(pattern).test(rest);
}

export interface LocalFile {
  /** Path inside the repository, with `/` separators. */
  path: string;
  /** Absolute path on disk (the snapshot pointer, or the file of a plain folder). */
  file: string;
  /** The file the pointer resolves to (the blob in an HF cache); `file` itself for plain folders. */
  target: string;
  size: number;
}

/**
 * Files of `root` (a snapshot folder or any folder laid out like the repository) lying in `dir`
 * and matching `pattern`, sorted by path. Dangling symlinks (a blob deleted by hand) are returned
 * in `dangling` so the caller can name them.
 */
export async function listShards(root: string, dir: string, pattern: string): Promise<{ files: LocalFile[]; dangling: string[] }> {
  const folder = dir === '' ? root : join(root, ...dir.split('/'));
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return { files: [], dangling: [] };
  }
  const re = globToRegExp(pattern);
  const files: LocalFile[] = [];
  const dangling: string[] = [];
  for (const name of names.sort()) {
    if (!re.test(name)) continue;
    const file = join(folder, name);
    const path = relative(root, file).split(sep).join('/');
    try {
      const st = await stat(file);
      if (!st.isFile()) continue;
      files.push({ path, file, target: await realpath(file), size: st.size });
    } catch {
      dangling.push(path);
    }
  }
  return { files, dangling };
}

/** The commit folders present under snapshots/, newest first by modification time. */
export async function snapshotCommits(cacheDir: string, repo: string): Promise<string[]> {
  const dir = join(repoFolder(cacheDir, repo), 'snapshots');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const withTimes: { name: string; mtime: number }[] = [];
  for (const name of names) {
    if (!isCommitHash(name)) continue;
    const st = await stat(join(dir, name));
    withTimes.push({ name, mtime: st.mtimeMs });
  }
  return withTimes.sort((a, b) => b.mtime - a.mtime || a.name.localeCompare(b.name)).map((x) => x.name);
}

/** The content address a cached file's blob is named by (LFS sha256, or git blob sha1), if any. */
export function blobContentAddress(target: string): string | undefined {
  const name = basename(target);
  return /^[0-9a-f]{64}$/.test(name) || /^[0-9a-f]{40}$/.test(name) ? name : undefined;
}
