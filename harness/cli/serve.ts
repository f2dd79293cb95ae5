// `cogeval serve`: loads an exported model with the onnx engine and serves it as an
// OpenAI-compatible API (/v1/models, /v1/chat/completions) until SIGINT/SIGTERM.
import type { CliIo } from './commands.js';
import type { Argv, CommandModule } from 'yargs';
import chalk from 'chalk';
import { ConfigError } from '../errors.js';
import { EXECUTION_PROVIDERS } from '../engine/onnx/execution-provider.js';
import { OnnxModel } from '../engine/onnx/model.js';
import { startChatServer, type ChatServer } from '../serve/server.js';

export interface ServeArgs {
  'model-dir': string;
  port: number;
  host: string;
  ep: string;
  threads: number;
  verbose?: boolean;
  'model-id'?: string;
  quiet?: boolean;
}

export interface RunningServe {
  server: ChatServer;
  model: OnnxModel;
  /** Stops the server, then the model. */
  stop(): Promise<void>;
}

/** Loads the model and starts the server (the command's work without the signal handling). */
export async function startServe(args: ServeArgs, io: CliIo): Promise<RunningServe> {
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new ConfigError(`--port must be an integer 0–65535, got ${args.port}`);
  const model = await OnnxModel.load({ modelDir: args['model-dir'], ep: args.ep, threads: args.threads });
  const modelId = args['model-id'] ?? model.info.modelId;
  let server: ChatServer;
  try {
    server = await startChatServer({ model, modelId, randomWeights: model.info.randomWeights, host: args.host, port: args.port, log: args.quiet ? undefined : (line) => io.err(line) });
  } catch (err) {
    await model.close();
    throw new ConfigError(`cannot listen on ${args.host}:${args.port}: ${(err as Error).message}`);
  }
  if (model.info.randomWeights) io.err(chalk.yellow(`${model.info.dir}: this model has random weights; its answers mean nothing`));
  io.out(`serving ${modelId} (${model.info.dir}, ${model.ep}) at ${server.url} — POST ${server.url}/chat/completions, GET ${server.url}/models`);
  return {
    server,
    model,
    stop: async () => {
      await server.close();
      await model.close();
    },
  };
}

export function serveCommand(io: CliIo, setExit: (code: number) => void): CommandModule<object, ServeArgs> {
  return {
    command: 'serve',
    describe: 'Serve an exported model (onnx engine) as an OpenAI-compatible API',
    builder: (y: Argv) =>
      y
        .option('model-dir', { type: 'string', demandOption: true, describe: 'exported model directory (cogeval export), e.g. tests/fixtures/tiny-model' })
        .option('port', { type: 'number', default: 8000, describe: 'port to listen on (0: any free port)' })
        .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on (0.0.0.0 for every interface)' })
        .option('ep', { type: 'string', default: 'cpu', choices: [...EXECUTION_PROVIDERS], describe: 'onnxruntime execution provider; never falls back to another' })
        .option('threads', { type: 'number', default: 0, describe: 'CPU threads per graph (0: onnxruntime decides)' })
        .option('verbose', { type: 'boolean', default: false, describe: "show onnxruntime's own warnings and errors (default: fatal ones only)" })
        .option('model-id', { type: 'string', describe: 'the model name at /v1/models (default: the directory name)' })
        .option('quiet', { type: 'boolean', default: false, describe: 'no per-request log lines' })
        .example('$0 serve --model-dir tests/fixtures/tiny-model --port 8000', 'serve the bundled demo model')
        .example('$0 eval --endpoint http://127.0.0.1:8000/v1 --data demo --bench docvqa', 'then evaluate it over HTTP') as unknown as Argv<ServeArgs>,
    handler: async (args) => {
      if (args.verbose) process.env.COGEVAL_VERBOSE = '1'; // read by the onnx engine (execution-provider.ts)
      const running = await startServe(args, io);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          io.err('stopping…');
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await running.stop();
      setExit(0);
    },
  };
}
