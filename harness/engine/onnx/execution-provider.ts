// Execution providers of the onnx engine (`--ep cpu|cuda|webgpu`): session options per provider
// and the error that says how to get a provider that onnxruntime-node cannot load. There is never
// a silent fall-back to another provider.
import type { InferenceSession } from 'onnxruntime-node';
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
    logSeverityLevel: 3,
  };
  return threads > 0 ? { ...options, intraOpNumThreads: threads, interOpNumThreads: 1 } : options;
}
