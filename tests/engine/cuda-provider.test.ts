// `cogeval providers install|check cuda` and `--ep cuda` on a machine without CUDA: the install
// from local tarballs laid out as the real npm packages (small fakes; the provider library is a
// real ELF file whose NEEDED list names a CUDA library), and every error path names the file or
// library that is missing and what to run. Nothing falls back to the CPU.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CUDA_ORT_COMMON,
  CUDA_ORT_NODE,
  CUDA_PROVIDER_PACKAGE,
  checkCudaProvider,
  cudaInstallDir,
  loadCudaOrt,
  ortBinDir,
  providersRoot,
} from '../../harness/engine/onnx/cuda-provider.js';
import { missingNeededLibraries } from '../../harness/engine/onnx/shared-libs.js';
import { runProviders } from '../../harness/cli/providers.js';
import { runReporting } from '../../harness/cli/main.js';
import { ConfigError } from '../../harness/errors.js';
import { OnnxModel } from '../../harness/engine/onnx/model.js';

const TINY = fileURLToPath(new URL('../fixtures/tiny-model/', import.meta.url));

/** A real shared library of this system (libstdc++, which NEEDs ld-linux-x86-64.so.2), or undefined. */
function systemLibstdcxx(): string | undefined {
  const r = spawnSync('ldconfig', ['-p'], { encoding: 'utf8' });
  const fromCache = r.error ? undefined : /libstdc\+\+\.so\.6 \(libc6,x86-64\) => (\S+)/.exec(r.stdout)?.[1];
  return [fromCache, '/lib/x86_64-linux-gnu/libstdc++.so.6', '/usr/lib/x86_64-linux-gnu/libstdc++.so.6'].find((p) => p !== undefined && existsSync(p));
}
const LIBSTDCXX = systemLibstdcxx();
const HAS_LDD = spawnSync('ldd', ['--version'], { stdio: 'ignore' }).status === 0;
const CAN_FAKE_ELF = process.platform === 'linux' && process.arch === 'x64' && HAS_LDD && LIBSTDCXX !== undefined;

/** libstdc++ with its NEEDED ld-linux-x86-64.so.2 renamed to `name` (at most 20 characters): an ELF that needs a missing library. */
function elfNeeding(name: string): Buffer {
  const orig = Buffer.from('ld-linux-x86-64.so.2\0');
  const repl = Buffer.alloc(orig.length);
  repl.write(name);
  const bytes = readFileSync(LIBSTDCXX ?? '');
  const at = bytes.indexOf(orig);
  if (at < 0) throw new Error(`${LIBSTDCXX} has no ld-linux-x86-64.so.2 string to rename`);
  repl.copy(bytes, at);
  return bytes;
}

/** Writes an npm tarball (`package/...`) the way `npm pack` names it. */
function tarball(dir: string, name: string, version: string, files: Record<string, Buffer | string>): void {
  const stage = mkdtempSync(join(tmpdir(), 'cogeval-pkg-'));
  try {
    const root = join(stage, 'package');
    mkdirSync(root, { recursive: true });
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name, version }));
    for (const [rel, data] of Object.entries(files)) {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), data);
    }
    const r = spawnSync('tar', ['-czf', join(dir, `${name}-${version}.tgz`), '-C', stage, 'package']);
    if (r.status !== 0) throw new Error(`tar failed: ${r.stderr.toString()}`);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'cogeval-cuda-provider-'));
});
afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the providers cache location', () => {
  it('COGEVAL_PROVIDERS_DIR, else XDG_CACHE_HOME/cogeval/providers; one folder per pinned onnxruntime', () => {
    expect(providersRoot({ COGEVAL_PROVIDERS_DIR: '/x/p', XDG_CACHE_HOME: '/y' })).toBe('/x/p');
    expect(providersRoot({ XDG_CACHE_HOME: '/y' })).toBe('/y/cogeval/providers');
    expect(cudaInstallDir('/x/p')).toBe('/x/p/cuda-ort1.29.0');
  });
});

describe('--ep cuda without an install', () => {
  it('providers check cuda: exit 2, names the folder and the install command', async () => {
    const root = join(work, 'empty');
    const r = io();
    expect(await runReporting(r.io, () => runProviders({ action: 'check', ep: 'cuda', dir: root }, r.io))).toBe(2);
    expect(r.err.join('\n')).toMatch(/the CUDA provider is not installed in .*empty\/cuda-ort1\.29\.0: run `cogeval providers install cuda` once/);
  });

  it('loading onnxruntime for cuda throws a ConfigError instead of returning the bundled (CPU) one', () => {
    expect(() => loadCudaOrt(join(work, 'empty'), {})).toThrow(ConfigError);
    expect(() => loadCudaOrt(join(work, 'empty'), {})).toThrow(/--ep cuda: .*cogeval providers install cuda.*Or use --ep cpu/);
  });

  it('the onnx engine with --ep cuda refuses to load the model (no fall-back)', async () => {
    const saved = process.env.COGEVAL_PROVIDERS_DIR;
    process.env.COGEVAL_PROVIDERS_DIR = join(work, 'empty');
    try {
      const err = await OnnxModel.load({ modelDir: TINY, ep: 'cuda' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as Error).message).toMatch(/--ep cuda: the CUDA provider is not installed .*cogeval providers install cuda/);
    } finally {
      if (saved === undefined) delete process.env.COGEVAL_PROVIDERS_DIR;
      else process.env.COGEVAL_PROVIDERS_DIR = saved;
    }
  }, 60_000);

  it('an offline install from a folder without the tarballs names the files it needs', async () => {
    const r = io();
    const from = join(work, 'no-tarballs');
    mkdirSync(from, { recursive: true });
    expect(await runReporting(r.io, () => runProviders({ action: 'install', ep: 'cuda', dir: join(work, 'root-none'), from }, r.io))).toBe(2);
    expect(r.err.join('\n')).toMatch(/onnxruntime-node-1\.29\.0\.tgz not found; --from must hold onnxruntime-node-1\.29\.0\.tgz, onnxruntime-common-1\.29\.0\.tgz, com\.github\.asus4\.onnxruntime\.linux-x64-gpu-0\.4\.9\.tgz/);
  });
});

describe.skipIf(!CAN_FAKE_ELF)('install from local tarballs, then the library check (fake packages, real ELF)', () => {
  let from: string;
  let root: string;
  beforeAll(() => {
    from = join(work, 'tarballs');
    root = join(work, 'root');
    mkdirSync(from, { recursive: true });
    const bin = 'bin/napi-v6/linux/x64';
    tarball(from, CUDA_ORT_NODE.name, CUDA_ORT_NODE.version, { [`${bin}/onnxruntime_binding.node`]: 'not a real binding', [`${bin}/libonnxruntime.so.1`]: 'not a real library', 'dist/index.js': '' });
    tarball(from, CUDA_ORT_COMMON.name, CUDA_ORT_COMMON.version, { 'dist/index.js': '' });
    tarball(from, CUDA_PROVIDER_PACKAGE.name, CUDA_PROVIDER_PACKAGE.version, {
      'Plugins/Linux/x64/libonnxruntime_providers_cuda.so': elfNeeding('libcublas.so.99'),
      'Plugins/Linux/x64/libonnxruntime_providers_shared.so': readFileSync(LIBSTDCXX ?? ''),
    });
  });

  it('installs into the cache and then names each missing CUDA library (exit 2)', async () => {
    const r = io();
    const code = await runReporting(r.io, () => runProviders({ action: 'install', ep: 'cuda', dir: root, from }, r.io, { PATH: process.env.PATH, LD_LIBRARY_PATH: join(work, 'nothing-here') }));
    expect(r.out.join('\n')).toMatch(/installed onnxruntime-node 1\.29\.0 with libonnxruntime_providers_shared\.so, libonnxruntime_providers_cuda\.so into/);
    const bin = ortBinDir(cudaInstallDir(root));
    for (const f of ['onnxruntime_binding.node', 'libonnxruntime.so.1', 'libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so']) expect(existsSync(join(bin, f)), f).toBe(true);
    expect(existsSync(join(cudaInstallDir(root), 'node_modules', 'onnxruntime-common', 'package.json'))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(cudaInstallDir(root), 'cogeval-provider.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest).toMatchObject({ ep: 'cuda', onnxruntime_node: '1.29.0', provider_package: 'com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9' });
    expect(code).toBe(2);
    expect(r.err.join('\n')).toMatch(/cannot find libcublas\.so\.99 \(CUDA cuBLAS\)/);
    expect(r.err.join('\n')).toMatch(/LD_LIBRARY_PATH/);
  });

  it('ldd reports exactly the renamed library as missing', () => {
    const probe = missingNeededLibraries(join(ortBinDir(cudaInstallDir(root)), 'libonnxruntime_providers_cuda.so'), { PATH: process.env.PATH });
    expect(probe.error).toBeUndefined();
    expect(probe.missing).toEqual(['libcublas.so.99']);
  });

  it('a library on LD_LIBRARY_PATH is no longer named; cuDNN (opened with dlopen) is looked up there too', () => {
    const libs = join(work, 'cuda-libs');
    mkdirSync(libs, { recursive: true });
    writeFileSync(join(libs, 'libcublas.so.99'), readFileSync(LIBSTDCXX ?? ''));
    let check = checkCudaProvider(root, { PATH: process.env.PATH, LD_LIBRARY_PATH: libs });
    expect(check.problems.join(' ')).not.toMatch(/libcublas/);
    writeFileSync(join(libs, 'libcudnn.so.9'), readFileSync(LIBSTDCXX ?? ''));
    check = checkCudaProvider(root, { PATH: process.env.PATH, LD_LIBRARY_PATH: libs });
    expect(check.problems).toEqual([]);
    const r = io();
    expect(runProviders({ action: 'check', ep: 'cuda', dir: root }, r.io, { PATH: process.env.PATH, LD_LIBRARY_PATH: libs })).toBe(0);
    expect(r.out.join('\n')).toMatch(/cuda provider ready in .*libonnxruntime_providers_cuda\.so/);
  });

  it('an onnxruntime-node other than the one the libraries were built for is refused', () => {
    const pkg = join(cudaInstallDir(root), 'node_modules', 'onnxruntime-node', 'package.json');
    const saved = readFileSync(pkg);
    try {
      writeFileSync(pkg, JSON.stringify({ name: 'onnxruntime-node', version: '1.30.0' }));
      expect(checkCudaProvider(root, {}).problems.join(' ')).toMatch(/onnxruntime-node is 1\.30\.0, but the CUDA provider libraries are built for onnxruntime 1\.29\.0: run `cogeval providers install cuda` again/);
    } finally {
      writeFileSync(pkg, saved);
    }
  });

  it('a provider library deleted from the install is named', () => {
    const lib = join(ortBinDir(cudaInstallDir(root)), 'libonnxruntime_providers_shared.so');
    unlinkSync(lib);
    expect(checkCudaProvider(root, {}).problems.join(' ')).toMatch(/libonnxruntime_providers_shared\.so is missing: run `cogeval providers install cuda` again/);
  });
});

if (!CAN_FAKE_ELF) {
  describe('install from local tarballs', () => {
    it.skip('skipped: needs Linux x64 with ldd and libstdc++ (to make an ELF file that needs a missing library)', () => undefined);
  });
}

describe('providers for the other execution providers', () => {
  it('webgpu and cpu need no install; the output says what webgpu needs', () => {
    const r = io();
    expect(runProviders({ action: 'install', ep: 'webgpu' }, r.io)).toBe(0);
    expect(r.out.join('\n')).toMatch(/Vulkan/);
  });
});
