// Starting the inference worker: the compiled worker.js next to this file, or — when cogeval runs
// from its TypeScript sources (vitest) — worker.ts through a module hook that transpiles
// TypeScript with the `typescript` devDependency, so tests never run a stale build.
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * A module-hooks file (node:module register) for the worker in source mode: resolves `./x.js`
 * to `./x.ts` when only the latter exists, and loads `.ts` files transpiled to ESM JavaScript.
 */
function tsHooksSource(projectFileUrl: string): string {
  return `
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const require = createRequire(${JSON.stringify(projectFileUrl)});
const ts = require('typescript');
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && (specifier.startsWith('.') || specifier.startsWith('file:')) && context.parentURL && context.parentURL.startsWith('file:')) {
    const js = new URL(specifier, context.parentURL);
    if (!existsSync(fileURLToPath(js))) {
      const tsUrl = new URL(js.href.slice(0, -3) + '.ts');
      if (existsSync(fileURLToPath(tsUrl))) return { url: tsUrl.href, shortCircuit: true };
    }
  }
  return next(specifier, context);
}
export async function load(url, context, next) {
  if (url.startsWith('file:') && url.endsWith('.ts')) {
    const source = readFileSync(fileURLToPath(url), 'utf8');
    const out = ts.transpileModule(source, {
      fileName: fileURLToPath(url),
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: true, verbatimModuleSyntax: false },
    });
    return { format: 'module', source: out.outputText, shortCircuit: true };
  }
  return next(url, context);
}
`;
}

function dataUrl(js: string): string {
  return `data:text/javascript;base64,${Buffer.from(js, 'utf8').toString('base64')}`;
}

/** The parent's execArgv minus its own module hooks (a test runner's), which the worker must not inherit. */
function withoutLoaderFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--import' || a === '--loader' || a === '--experimental-loader' || a === '--require' || a === '-r') {
      i++;
      continue;
    }
    if (/^--(?:import|loader|experimental-loader|require)=/.test(a)) continue;
    out.push(a);
  }
  return out;
}

/** Starts the worker thread (not yet initialised: send it an `init` message). */
export function spawnInferenceWorker(): Worker {
  const compiled = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { stdout: false, stderr: false });
  const source = new URL('./worker.ts', import.meta.url);
  if (!existsSync(fileURLToPath(source))) throw new Error(`the onnx worker is missing: neither ${fileURLToPath(compiled)} nor worker.ts exists; run \`npm run build\``);
  const hooks = dataUrl(tsHooksSource(pathToFileURL(fileURLToPath(import.meta.url)).href));
  const register = dataUrl(`import { register } from 'node:module'; register(${JSON.stringify(hooks)});`);
  return new Worker(source, { execArgv: [...withoutLoaderFlags(process.execArgv), '--import', register] });
}
