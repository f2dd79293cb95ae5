// The Python the tests that compare with PyTorch/Pillow use, and whether it has given modules.
// COGEVAL_TEST_PYTHON overrides /usr/bin/python3; pointing it at a path that does not exist
// (COGEVAL_TEST_PYTHON=/nonexistent npm test) runs the suite as on a machine without
// python3-torch, python3-onnx and python3-pil.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

export const TEST_PYTHON = process.env.COGEVAL_TEST_PYTHON ?? '/usr/bin/python3';

/** Whether TEST_PYTHON exists and imports every module in `modules`. */
export function pythonHas(modules: readonly string[]): boolean {
  if (!existsSync(TEST_PYTHON)) return false;
  return spawnSync(TEST_PYTHON, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore', timeout: 120_000 }).status === 0;
}
