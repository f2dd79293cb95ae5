#!/usr/bin/env node
// Entry point of the `cogeval` command: runs the compiled CLI in dist/.
import { main } from '../dist/harness/cli/main.js';

// A reader that stops early (`cogeval score … | head`) closes the pipe: the rest of the output is
// dropped quietly and the command still ends with its own exit code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
