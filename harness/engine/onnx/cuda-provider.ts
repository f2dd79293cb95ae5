// The CUDA execution provider as a user installs it once (`cogeval providers install cuda`):
// onnxruntime-node pinned to the version the npm-served CUDA provider libraries were built for,
// with those libraries next to its libonnxruntime.so, in a cache directory; the check that
// names every missing CUDA/cuDNN library; and loading that onnxruntime-node for `--ep cuda`.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import { describeLibrary, missingDlopenLibraries, missingNeededLibraries } from './shared-libs.js';

/** onnxruntime-node built against the same onnxruntime as the provider libraries (1.29.0). */
export const CUDA_ORT_NODE = { name: 'onnxruntime-node', version: '1.29.0' } as const;
export const CUDA_ORT_COMMON = { name: 'onnxruntime-common', version: '1.29.0' } as const;
/** The npm package that carries libonnxruntime_providers_{cuda,shared}.so for onnxruntime 1.29.0 + CUDA 13 (MIT, 179 MB). */
export const CUDA_PROVIDER_PACKAGE = { name: 'com.github.asus4.onnxruntime.linux-x64-gpu', version: '0.4.9' } as const;
export const CUDA_PROVIDER_FILES = ['libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so'] as const;
/** Where the provider package keeps them. */
const PROVIDER_PATH_IN_PACKAGE = 'Plugins/Linux/x64';
/** Libraries the CUDA provider opens with dlopen at run time (not in its NEEDED list). */
export const CUDA_DLOPEN_LIBRARIES = ['libcudnn.so.9'] as const;
const MANIFEST = 'cogeval-provider.json';
const INSTALL_COMMAND = 'cogeval providers install cuda';

export interface CudaInstallManifest {
  ep: 'cuda';
  onnxruntime_node: string;
  provider_package: string;
  provider_files: string[];
  installed_at: string;
}

/** The providers cache: $COGEVAL_PROVIDERS_DIR, else $XDG_CACHE_HOME/cogeval/providers, else ~/.cache/cogeval/providers. */
export function providersRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.COGEVAL_PROVIDERS_DIR) return env.COGEVAL_PROVIDERS_DIR;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'cogeval', 'providers');
}

/** The directory of the CUDA install (one per pinned onnxruntime version). */
export function cudaInstallDir(root: string = providersRoot()): string {
  return join(root, `cuda-ort${CUDA_ORT_NODE.version}`);
}

/** The folder onnxruntime-node loads libonnxruntime.so (and so the provider libraries) from. */
export function ortBinDir(installDir: string): string {
  return join(installDir, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux', 'x64');
}

function tarballName(pkg: { name: string; version: string }): string {
  // npm pack's file name: scope stripped of '@' and '/' replaced by '-'
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
}

export interface InstallOptions {
  /** Cache root (default providersRoot()). */
  root?: string;
  /** A folder holding the three tarballs `npm pack` writes (offline install); default: `npm pack` them now. */
  from?: string;
  /** npm executable for `npm pack` (default npm). */
  npm?: string;
  log?: (line: string) => void;
}

function run(cmd: string, args: string[], cwd: string): void {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new ConfigError(`cannot run ${cmd} (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`);
  if (r.status !== 0) throw new ConfigError(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' ')}`);
}

/** Unpacks an npm tarball (root folder `package/`) into `dest`. */
function unpack(tgz: string, dest: string, work: string): void {
  const tmp = mkdtempSync(join(work, 'unpack-'));
  run('tar', ['-xzf', tgz, '-C', tmp], work);
  if (!existsSync(join(tmp, 'package', 'package.json'))) throw new ConfigError(`${tgz}: not an npm package tarball (no package/package.json)`);
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(join(dest, '..'), { recursive: true });
  renameSync(join(tmp, 'package'), dest);
  rmSync(tmp, { recursive: true, force: true });
}

function packageVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/**
 * Installs onnxruntime-node 1.29.0 (+ onnxruntime-common) and the CUDA provider libraries into
 * the cache: tarballs from `from` or `npm pack`; nothing outside the cache is touched. Returns
 * the install directory. The install scripts of the packages are not run.
 */
export function installCudaProvider(o: InstallOptions = {}): string {
  const log = o.log ?? (() => undefined);
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new ConfigError(`the npm-served CUDA provider libraries are for Linux x64; this is ${process.platform}/${process.arch}`);
  }
  const dir = cudaInstallDir(o.root ?? providersRoot());
  mkdirSync(dir, { recursive: true });
  const work = mkdtempSync(join(dir, '.install-'));
  try {
    const pkgs = [CUDA_ORT_NODE, CUDA_ORT_COMMON, CUDA_PROVIDER_PACKAGE];
    let source = o.from;
    if (source === undefined) {
      source = join(work, 'tarballs');
      mkdirSync(source);
      for (const p of pkgs) {
        log(`npm pack ${p.name}@${p.version} ...`);
        run(o.npm ?? 'npm', ['pack', `${p.name}@${p.version}`, '--pack-destination', source, '--silent'], work);
      }
    }
    const tgz = (p: { name: string; version: string }): string => {
      const f = join(source ?? '', tarballName(p));
      if (!existsSync(f)) throw new ConfigError(`${f} not found; --from must hold ${pkgs.map(tarballName).join(', ')} (npm pack <name>@<version> writes them)`);
      return f;
    };
    const files = pkgs.map(tgz);
    const modules = join(dir, 'node_modules');
    unpack(files[0], join(modules, CUDA_ORT_NODE.name), work);
    unpack(files[1], join(modules, CUDA_ORT_COMMON.name), work);
    for (const p of [CUDA_ORT_NODE, CUDA_ORT_COMMON]) {
      const v = packageVersion(join(modules, p.name));
      if (v !== p.version) throw new ConfigError(`${tgz(p)} holds ${p.name} ${v ?? '(no version)'}, expected ${p.version}`);
    }
    const providerPkg = join(work, 'provider');
    unpack(files[2], providerPkg, work);
    const bin = ortBinDir(dir);
    if (!existsSync(join(bin, 'onnxruntime_binding.node'))) throw new ConfigError(`${files[0]}: no bin/napi-v6/linux/x64/onnxruntime_binding.node in the package`);
    for (const f of CUDA_PROVIDER_FILES) {
      const from = join(providerPkg, PROVIDER_PATH_IN_PACKAGE, f);
      if (!existsSync(from)) throw new ConfigError(`${files[2]}: ${PROVIDER_PATH_IN_PACKAGE}/${f} is not in the package`);
      copyFileSync(from, join(bin, f));
    }
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'cogeval-cuda-provider', private: true, dependencies: { [CUDA_ORT_NODE.name]: CUDA_ORT_NODE.version } }, null, 2) + '\n');
    const manifest: CudaInstallManifest = {
      ep: 'cuda',
      onnxruntime_node: CUDA_ORT_NODE.version,
      provider_package: `${CUDA_PROVIDER_PACKAGE.name}@${CUDA_PROVIDER_PACKAGE.version}`,
      provider_files: [...CUDA_PROVIDER_FILES],
      installed_at: new Date().toISOString(),
    };
    writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
    log(`installed onnxruntime-node ${CUDA_ORT_NODE.version} with ${CUDA_PROVIDER_FILES.join(', ')} into ${dir}`);
    return dir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export interface CudaCheck {
  dir: string;
  /** Problems that stop `--ep cuda`, each a sentence naming the file or library and what to do. */
  problems: string[];
}

/** What stops the installed CUDA provider from loading here (empty problems: nothing found). */
export function checkCudaProvider(root: string = providersRoot(), env: NodeJS.ProcessEnv = process.env): CudaCheck {
  const dir = cudaInstallDir(root);
  const problems: string[] = [];
  if (!existsSync(join(dir, MANIFEST))) {
    problems.push(`the CUDA provider is not installed in ${dir}: run \`${INSTALL_COMMAND}\` once (it fetches onnxruntime-node ${CUDA_ORT_NODE.version} and ${CUDA_PROVIDER_PACKAGE.name}@${CUDA_PROVIDER_PACKAGE.version} from npm; ` +
      'COGEVAL_PROVIDERS_DIR chooses the cache)');
    return { dir, problems };
  }
  const v = packageVersion(join(dir, 'node_modules', CUDA_ORT_NODE.name));
  if (v !== CUDA_ORT_NODE.version) {
    problems.push(`${join(dir, 'node_modules', CUDA_ORT_NODE.name)} is ${v ?? 'missing'}, but the CUDA provider libraries are built for onnxruntime ${CUDA_ORT_NODE.version}: run \`${INSTALL_COMMAND}\` again`);
    return { dir, problems };
  }
  const bin = ortBinDir(dir);
  for (const f of ['onnxruntime_binding.node', 'libonnxruntime.so.1', ...CUDA_PROVIDER_FILES]) {
    if (!existsSync(join(bin, f))) problems.push(`${join(bin, f)} is missing: run \`${INSTALL_COMMAND}\` again`);
  }
  if (problems.length > 0) return { dir, problems };
  const probe = missingNeededLibraries(join(bin, 'libonnxruntime_providers_cuda.so'), env);
  if (probe.error) problems.push(`cannot check the CUDA provider's libraries: ${probe.error}`);
  const missing = [...probe.missing, ...missingDlopenLibraries(CUDA_DLOPEN_LIBRARIES, env)];
  if (missing.length > 0) {
    const named = missing.map((m) => `${m} (${describeLibrary(m)})`).join(', ');
    problems.push(
      `the CUDA provider (onnxruntime ${CUDA_ORT_NODE.version}, built for CUDA 13 and cuDNN 9) cannot find ${named}. ` +
        'Install the CUDA 13 runtime libraries and cuDNN 9 (e.g. the NVIDIA apt packages, or pip install nvidia-cublas nvidia-cuda-runtime nvidia-curand nvidia-cudnn-cu13) ' +
        'and add their lib folders to LD_LIBRARY_PATH before starting cogeval.',
    );
  }
  return { dir, problems };
}

/** onnxruntime-node as a module (the bundled one, or the pinned one of the CUDA install). */
export type OrtModule = typeof import('onnxruntime-node');

/** The pinned onnxruntime-node of the CUDA install, after checking that the provider can load; never the bundled one. */
export function loadCudaOrt(root: string = providersRoot(), env: NodeJS.ProcessEnv = process.env): OrtModule {
  const check = checkCudaProvider(root, env);
  if (check.problems.length > 0) throw new ConfigError(`--ep cuda: ${check.problems.join(' ')} Or use --ep cpu.`);
  const require = createRequire(join(check.dir, 'package.json'));
  return require(CUDA_ORT_NODE.name) as OrtModule;
}

/** The files of an install directory (for `providers check` output). */
export function listInstalled(dir: string): string[] {
  const bin = ortBinDir(dir);
  return existsSync(bin) ? readdirSync(bin).sort() : [];
}
