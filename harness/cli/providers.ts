// `cogeval providers install|check cuda`: the one-time install of the CUDA execution provider
// (harness/engine/onnx/cuda-provider.ts) and the check that names what still stops `--ep cuda`.
import type { CliIo } from './commands.js';
import type { Argv, CommandModule } from 'yargs';
import { EXIT_OK, InputError } from '../errors.js';
import { checkCudaProvider, installCudaProvider, listInstalled, providersRoot } from '../engine/onnx/cuda-provider.js';

interface ProvidersArgs {
  action: string;
  ep: string;
  dir?: string;
  from?: string;
}

/**
 * Runs `providers <action> <ep>`; returns 0 when the provider is ready. Not installed, libraries
 * missing or bad input throw an InputError (exit 2, errors.ts).
 */
export function runProviders(a: { action: string; ep: string; dir?: string; from?: string }, io: CliIo, env: NodeJS.ProcessEnv = process.env): number {
  if (a.ep === 'webgpu' || a.ep === 'cpu') {
    io.out(a.ep === 'cpu'
      ? 'the cpu provider is bundled with onnxruntime-node; nothing to install'
      : 'the webgpu provider is compiled into the bundled onnxruntime-node; it needs a Vulkan driver (libvulkan1 and the GPU vendor\'s Vulkan ICD; `vulkaninfo` must list the GPU)');
    return EXIT_OK;
  }
  if (a.ep !== 'cuda') throw new InputError(`unknown execution provider "${a.ep}"; use cuda (webgpu and cpu need no install)`);
  const root = a.dir ?? providersRoot(env);
  if (a.action === 'install') {
    installCudaProvider({ root, from: a.from, log: io.out });
  } else if (a.action !== 'check') {
    throw new InputError(`unknown action "${a.action}"; use install or check`);
  }
  const check = checkCudaProvider(root, env);
  // Every problem on its own line (the first after `error:`).
  if (check.problems.length > 0) throw new InputError(check.problems.join('\n'));
  io.out(`cuda provider ready in ${check.dir}: ${listInstalled(check.dir).join(', ')}`);
  io.out('run the onnx engine with --ep cuda (onnxruntime-node from this folder is used for it; no CPU fall-back)');
  return EXIT_OK;
}

export function providersCommand(io: CliIo, setExit: (code: number) => void, env: NodeJS.ProcessEnv = process.env): CommandModule<object, ProvidersArgs> {
  return {
    command: 'providers <action> <ep>',
    describe: 'Install (once) or check a GPU execution provider for the onnx engine: `providers install cuda`, `providers check cuda`',
    builder: (y: Argv) =>
      y
        .positional('action', { type: 'string', choices: ['install', 'check'], demandOption: true, describe: 'install: fetch and set up; check: say what is missing' })
        .positional('ep', { type: 'string', choices: ['cuda', 'webgpu', 'cpu'], demandOption: true, describe: 'execution provider' })
        .option('dir', { type: 'string', describe: 'providers cache (default $COGEVAL_PROVIDERS_DIR, else ~/.cache/cogeval/providers); --ep cuda reads the same variable' })
        .option('from', { type: 'string', describe: 'offline install: a folder with the tarballs `npm pack` writes for onnxruntime-node@1.29.0, onnxruntime-common@1.29.0 and com.github.asus4.onnxruntime.linux-x64-gpu@0.4.9' })
        .example('$0 providers install cuda', 'npm pack the pinned packages and install them into the cache (about 180 MB download)')
        .example('$0 providers check cuda', 'list the CUDA 13 / cuDNN 9 libraries that cannot be found') as unknown as Argv<ProvidersArgs>,
    handler: (args) => {
      setExit(runProviders({ action: args.action, ep: args.ep, dir: args.dir, from: args.from }, io, env));
    },
  };
}
