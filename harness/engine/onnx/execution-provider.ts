// Execution providers of the onnx engine (`--ep cpu|cuda|webgpu`): session options per provider
// and the error that says how to get a provider that onnxruntime-node cannot load. There is never
// a silent fall-back to another provider.
import type { InferenceSession } from 'onnxruntime-node';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../errors.js';
import { loadCudaOrt, providersRoot, type OrtModule } from './cuda-provider.js';

export type { OrtModule } from './cuda-provider.js';

export const EXECUTION_PROVIDERS = ['cpu', 'cuda', 'webgpu'] as const;
export type ExecutionProvider = (typeof EXECUTION_PROVIDERS)[number];

export function parseExecutionProvider(name: string): ExecutionProvider {
  if (!(EXECUTION_PROVIDERS as readonly string[]).includes(name)) {
    throw new ConfigError(`unknown execution provider "${name}" (--ep); valid: ${EXECUTION_PROVIDERS.join(', ')}`);
  }
  return name as ExecutionProvider;
}

/** How to install what a provider needs (named in the error when it cannot be loaded). */
export function providerInstallHint(ep: ExecutionProvider): string {
  switch (ep) {
    case 'cuda':
      return (
        'the bundled onnxruntime-node has no CUDA provider libraries: run `cogeval providers install cuda` once (onnxruntime-node 1.29.0 with ' +
        'the provider libraries built for it, from npm, into a cache), make the CUDA 13 and cuDNN 9 runtime libraries loadable (LD_LIBRARY_PATH), ' +
        'and check with `cogeval providers check cuda`. Or use --ep cpu.'
      );
    case 'webgpu':
      return (
        'the WebGPU provider (Dawn) needs a Vulkan loader and a GPU driver with Vulkan support: install libvulkan1 and the ' +
        'NVIDIA (or Mesa) Vulkan ICD, and check that `vulkaninfo` lists the GPU. Or use --ep cpu.'
      );
    case 'cpu':
      return 'the CPU provider is bundled with onnxruntime-node; reinstall the package (`npm ci`).';
  }
}

/** The error for a session that could not be created with `ep`: what ORT said and how to fix it. */
export function providerError(ep: ExecutionProvider, graphFile: string, cause: string): ConfigError {
  const looksMissing = /providers_shared|providers_cuda|libcudart|libcudnn|libcublas|vulkan|adapter|not (?:compiled|supported|available)|backend|execution provider|failed to load/i.test(cause);
  if (ep !== 'cpu' && looksMissing) {
    return new ConfigError(`the ${ep} execution provider is not available (loading ${graphFile}: ${cause.trim()}). ${providerInstallHint(ep)}`);
  }
  return new ConfigError(`onnxruntime could not load ${graphFile} with the ${ep} execution provider: ${cause.trim()}`);
}

/**
 * onnxruntime's native log level. By default only fatal messages: a provider that cannot load is
 * reported once, by cogeval's own error (which quotes onnxruntime's message), not also as a raw red
 * `[E:onnxruntime…]` line before it. `--verbose` (eval, serve) sets COGEVAL_VERBOSE=1 in the
 * environment, which the engine's worker thread inherits: then warnings and errors are shown too.
 */
export function ortLogLevel(env: NodeJS.ProcessEnv = process.env): 'warning' | 'fatal' {
  return env.COGEVAL_VERBOSE === '1' ? 'warning' : 'fatal';
}

/**
 * Whether the Vulkan loader WebGPU (Dawn) needs can be found: on Linux, libvulkan.so.1 in
 * LD_LIBRARY_PATH or in the dynamic linker's cache. Without it Dawn would print its own raw
 * "Couldn't load Vulkan" warning before failing, so `--ep webgpu` is refused up front instead.
 * Elsewhere (or without a linker cache to read) the answer is "maybe" and onnxruntime decides.
 */
export function vulkanLoaderMissing(env: NodeJS.ProcessEnv = process.env, ldCache = '/etc/ld.so.cache'): boolean {
  if (process.platform !== 'linux' || !existsSync(ldCache)) return false;
  for (const dir of (env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean)) {
    if (existsSync(join(dir, 'libvulkan.so.1'))) return false;
  }
  return !readFileSync(ldCache).includes('libvulkan.so.1');
}

/** Refuses a provider whose system libraries are known to be missing, before onnxruntime tries it. */
export function checkProviderPrerequisites(ep: ExecutionProvider, graphFile: string): void {
  if (ep === 'webgpu' && vulkanLoaderMissing()) {
    throw providerError(ep, graphFile, 'the Vulkan loader libvulkan.so.1 is not installed (not in LD_LIBRARY_PATH or the ld.so cache)');
  }
}

/**
 * The onnxruntime-node that runs `ep`: the pinned one of the CUDA install for cuda (after checking
 * that its provider libraries and every CUDA/cuDNN library they need can be found; a ConfigError
 * names what is missing), the bundled one otherwise.
 */
export async function loadOrt(ep: ExecutionProvider, env: NodeJS.ProcessEnv = process.env): Promise<OrtModule> {
  if (ep === 'cuda') return loadCudaOrt(providersRoot(env), env);
  return await import('onnxruntime-node');
}

/** Session options for `ep` (threads: intra-op threads on the CPU provider; 0 = ORT's default). */
export function sessionOptionsFor(ep: ExecutionProvider, threads: number): InferenceSession.SessionOptions {
  const options: InferenceSession.SessionOptions = {
    executionProviders: [ep],
    graphOptimizationLevel: 'all',
    logSeverityLevel: ortLogLevel() === 'warning' ? 2 : 4,
  };
  return threads > 0 ? { ...options, intraOpNumThreads: threads, interOpNumThreads: 1 } : options;
}
