// Which shared libraries a native library cannot find at run time (`ldd`: its NEEDED entries,
// resolved as the dynamic loader would with this process's LD_LIBRARY_PATH), plus libraries that
// are opened later with dlopen (cuDNN) looked up the same way, and what each missing one is.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** What a CUDA-provider dependency is and where it comes from (for the error that names it). */
const KNOWN: readonly [RegExp, string][] = [
  [/^libcuda\.so/, 'the NVIDIA driver (install the NVIDIA GPU driver)'],
  [/^libcudart\.so/, 'CUDA runtime'],
  [/^libcublasLt\.so/, 'CUDA cuBLASLt'],
  [/^libcublas\.so/, 'CUDA cuBLAS'],
  [/^libcurand\.so/, 'CUDA cuRAND'],
  [/^libcufft\.so/, 'CUDA cuFFT'],
  [/^libcudnn/, 'cuDNN'],
  [/^libnvrtc/, 'CUDA NVRTC'],
];

export function describeLibrary(name: string): string {
  return KNOWN.find(([re]) => re.test(name))?.[1] ?? 'a shared library';
}

export interface LibraryProbe {
  /** NEEDED libraries (direct or indirect) the loader cannot find. */
  missing: string[];
  /** Set when the probe itself could not run (no ldd, not an ELF file). */
  error?: string;
}

/** Runs `ldd file` with `env` and lists the libraries it reports as not found. */
export function missingNeededLibraries(file: string, env: NodeJS.ProcessEnv = process.env): LibraryProbe {
  if (!existsSync(file)) return { missing: [], error: `${file} does not exist` };
  const r = spawnSync('ldd', [file], { encoding: 'utf8', env });
  if (r.error) return { missing: [], error: `cannot run ldd (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}); install libc-bin` };
  const text = `${r.stdout}\n${r.stderr}`;
  if (r.status !== 0 && !/=>/.test(text)) return { missing: [], error: `ldd ${file}: ${text.trim() || `exit status ${r.status}`}` };
  const missing = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^\s*(\S+)\s+=>\s+not found/.exec(line);
    if (m) missing.add(m[1]);
  }
  return { missing: [...missing] };
}

/** Directories the dynamic loader searches for a dlopen()ed name: LD_LIBRARY_PATH, then its cache. */
function loaderCacheHas(name: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d !== '')) {
    if (existsSync(join(dir, name))) return true;
  }
  for (const ldconfig of ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig']) {
    const r = spawnSync(ldconfig, ['-p'], { encoding: 'utf8', env });
    if (r.error) continue;
    return r.stdout.split('\n').some((line) => line.trim().startsWith(`${name} `));
  }
  // no ldconfig: the default directories
  return ['/lib', '/usr/lib', '/lib64', '/usr/lib64', '/lib/x86_64-linux-gnu', '/usr/lib/x86_64-linux-gnu'].some((d) => existsSync(join(d, name)));
}

/** The names among `names` (libraries a provider dlopen()s, such as libcudnn.so.9) the loader would not find. */
export function missingDlopenLibraries(names: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  return names.filter((n) => !loaderCacheHas(n, env));
}
