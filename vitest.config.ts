// Test runner configuration: unit and integration tests under tests/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Sized for a loaded 2-core machine (both cores busy with other work): a test or a setup hook
    // that takes 1–10 s idle (a real server, a run directory of several benchmarks, the tiny model)
    // can take several times that; a test that needs longer still says so itself.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    pool: 'forks',
    // Both cores: vitest's default on a 2-core machine is one worker (cores − 1), which left one core
    // idle for most of the suite (210 s idle with one worker, 127 s with two; the loaded runs pass with two).
    maxWorkers: 2,
    // The default output, then one plain closing line: "N passed, N failed".
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
