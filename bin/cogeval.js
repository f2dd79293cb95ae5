#!/usr/bin/env node
// Entry point of the `cogeval` command: runs the compiled CLI in dist/.
import { main } from '../dist/harness/cli/main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
