// `cogeval export`: converts a CogVLM2 Hugging Face checkpoint into the ONNX graphs of
// tools/export/CONTRACT.md by running the Python exporter (tools/export/export.py, PyTorch + onnx).
import type { CliIo } from './commands.js';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, InputError } from '../errors.js';

export const DEFAULT_PYTHON = '/usr/bin/python3';
/** Exit status of export.py when torch/onnx cannot be imported. */
const PY_MISSING_DEPENDENCY = 3;
const INSTALL_HINT = 'install them with: apt-get install python3-torch python3-onnx python3-numpy python3-pil (or point --python / COGEVAL_PYTHON at a Python that has torch and onnx)';

export const EXPORT_DTYPES = ['fp32', 'bf16', 'fp16'] as const;
export const EXPORT_ROPE = ['bf16', 'fp32'] as const;
export const EXPORT_COMPUTE = ['fp32', 'fp16', 'bf16'] as const;
export const EXTERNAL_DATA = ['auto', 'always', 'never'] as const;

export interface ExportOptions {
  hfDir: string;
  out: string;
  dtype: (typeof EXPORT_DTYPES)[number];
  rope: (typeof EXPORT_ROPE)[number];
  externalData: (typeof EXTERNAL_DATA)[number];
  /** Comma-separated subset of vision, embed, decoder (default all three). */
  graphs?: string;
  /** Arithmetic inside the graphs (default fp32; fp16/bf16 for GPUs, weights stored in that type). */
  compute?: (typeof EXPORT_COMPUTE)[number];
  /** Python interpreter with torch and onnx. */
  python: string;
}

/** The exporter script: tools/export/export.py above this module (works from harness/ and dist/harness/). */
export function findExporter(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'tools', 'export', 'export.py');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new InputError(`tools/export/export.py not found above ${start}; run cogeval from its repository checkout or npm package`);
    dir = up;
  }
}

interface ChildResult {
  code: number | null;
  spawnError?: NodeJS.ErrnoException;
}

function runChild(cmd: string, args: string[], onOut: (line: string) => void, onErr: (line: string) => void): Promise<ChildResult> {
  return new Promise((done) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    let spawnError: NodeJS.ErrnoException | undefined;
    createInterface({ input: child.stdout }).on('line', onOut);
    createInterface({ input: child.stderr }).on('line', onErr);
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e;
    });
    child.on('close', (code) => done({ code, spawnError }));
  });
}

/** Why `python` cannot run the exporter (not found, or torch/onnx/numpy missing), or undefined when it can. */
export async function probePython(python: string): Promise<string | undefined> {
  const errors: string[] = [];
  const r = await runChild(python, ['-c', 'import numpy, torch, onnx'], () => undefined, (l) => errors.push(l));
  if (r.spawnError) return `cannot run ${python} (${r.spawnError.code ?? r.spawnError.message}); the exporter needs Python 3 with PyTorch and onnx — ${INSTALL_HINT}`;
  if (r.code !== 0) {
    const last = errors.filter((l) => l.trim() !== '').pop() ?? `exit status ${r.code}`;
    return `${python} cannot import the exporter's dependencies (${last}); ${INSTALL_HINT}`;
  }
  return undefined;
}

function checkInputs(o: ExportOptions): void {
  const hf = resolve(o.hfDir);
  if (!existsSync(hf) || !statSync(hf).isDirectory()) throw new InputError(`--hf-dir ${o.hfDir}: not a directory; pass the Hugging Face model directory (config.json + *.safetensors)`);
  if (!existsSync(join(hf, 'config.json'))) throw new InputError(`--hf-dir ${o.hfDir}: no config.json in it; pass the Hugging Face model directory (config.json + *.safetensors)`);
  const hasWeights = existsSync(join(hf, 'model.safetensors')) || existsSync(join(hf, 'model.safetensors.index.json'));
  if (!hasWeights) throw new InputError(`--hf-dir ${o.hfDir}: neither model.safetensors nor model.safetensors.index.json; download the checkpoint's safetensors files`);
  if (resolve(o.out) === hf) throw new InputError('--out must be a different directory from --hf-dir (config.json would be overwritten)');
  if (existsSync(o.out) && !statSync(o.out).isDirectory()) throw new InputError(`--out ${o.out}: exists and is not a directory`);
}

/**
 * Runs the exporter; returns the exit code (0 done, 1 the exporter failed, 2 the exporter refused
 * its input, with its messages printed). Bad input and a Python without the exporter's
 * dependencies throw an InputError (exit 2, errors.ts).
 */
export async function runExport(o: ExportOptions, io: CliIo, exporter: string = findExporter()): Promise<number> {
  checkInputs(o);
  const problem = await probePython(o.python);
  if (problem !== undefined) throw new InputError(problem);
  const args = [exporter, '--hf-dir', o.hfDir, '--out', o.out, '--dtype', o.dtype, '--rope', o.rope, '--external-data', o.externalData];
  if (o.graphs !== undefined) args.push('--graphs', o.graphs);
  if (o.compute !== undefined && o.compute !== 'fp32') args.push('--compute', o.compute);
  const r = await runChild(o.python, args, io.out, io.err);
  if (r.spawnError) throw new InputError(`cannot run ${o.python}: ${r.spawnError.message}`);
  if (r.code === 0) return EXIT_OK;
  if (r.code === EXIT_BAD_INPUT || r.code === PY_MISSING_DEPENDENCY) return EXIT_BAD_INPUT;
  io.err(chalk.red(`error: the exporter (${o.python} ${exporter}) failed with exit status ${r.code ?? 'signal'}; its messages are above`));
  return EXIT_FAILURE;
}

interface ExportArgs {
  'hf-dir': string;
  out: string;
  dtype: string;
  rope: string;
  'external-data': string;
  graphs?: string;
  compute: string;
  python?: string;
}

function choice<T extends readonly string[]>(value: string, allowed: T, flag: string): T[number] {
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(`${flag} ${value}: use one of ${allowed.join(', ')}`);
  return value as T[number];
}

/** The yargs command module; `env` supplies COGEVAL_PYTHON. */
export function exportCommand(io: CliIo, setExit: (code: number) => void, env: NodeJS.ProcessEnv = process.env): CommandModule<object, ExportArgs> {
  return {
    command: 'export',
    describe: 'Convert a CogVLM2 Hugging Face checkpoint into ONNX graphs (vision, embeddings, decoder with KV cache) for the onnx engine; needs Python with torch and onnx',
    builder: (y: Argv) =>
      y
        .option('hf-dir', { type: 'string', demandOption: true, describe: 'Hugging Face model directory: config.json + model.safetensors or shards with model.safetensors.index.json' })
        .option('out', { type: 'string', demandOption: true, describe: 'output directory: vision.onnx, embed_tokens.onnx, decoder.onnx, config.json, tokenizer files' })
        .option('dtype', { type: 'string', default: 'fp32', choices: [...EXPORT_DTYPES], describe: 'weight storage: fp32, bf16 (lossless for the bf16 checkpoint, half the size) or fp16; arithmetic and I/O are float32 either way' })
        .option('rope', { type: 'string', default: 'bf16', choices: [...EXPORT_ROPE], describe: 'RoPE table: as HF builds it in bf16 (reference numerics) or fp32' })
        .option('external-data', { type: 'string', default: 'auto', choices: [...EXTERNAL_DATA], describe: 'weights in <graph>.onnx.data (auto: graphs above 1 GiB; needed beyond 2 GB)' })
        .option('graphs', { type: 'string', describe: 'comma-separated subset of vision, embed, decoder (default all)' })
        .option('compute', { type: 'string', default: 'fp32', choices: [...EXPORT_COMPUTE], describe: 'arithmetic inside the graphs: fp32 (reference), or fp16/bf16 for a GPU (weights stored in that type; graph I/O stays float32)' })
        .option('python', { type: 'string', describe: `Python with torch and onnx (default $COGEVAL_PYTHON or ${DEFAULT_PYTHON})` })
        .example('$0 export --hf-dir ~/models/cogvlm2-llama3-chat-19B --out ~/models/cogvlm2-onnx', 'fp32 graphs with the bf16 RoPE table')
        .example('$0 export --hf-dir ./tiny-hf --out ./tiny-onnx --dtype fp16 --rope fp32', 'half-size weights, fp32 RoPE table'),
    handler: async (args) => {
      setExit(
        await runExport(
          {
            hfDir: args['hf-dir'],
            out: args.out,
            dtype: choice(args.dtype, EXPORT_DTYPES, '--dtype'),
            rope: choice(args.rope, EXPORT_ROPE, '--rope'),
            externalData: choice(args['external-data'], EXTERNAL_DATA, '--external-data'),
            graphs: args.graphs,
            compute: choice(args.compute, EXPORT_COMPUTE, '--compute'),
            python: args.python ?? env.COGEVAL_PYTHON ?? DEFAULT_PYTHON,
          },
          io,
        ),
      );
    },
  };
}
