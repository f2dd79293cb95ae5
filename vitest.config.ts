// Test runner configuration: unit and integration tests under tests/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // The default output, then one plain closing line: "N passed, N failed".
    reporters: ['default', './tests/support/summary-reporter.ts'],
  },
});
