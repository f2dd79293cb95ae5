// The adapter of every benchmark, by id.
import type { BenchId } from '../metrics/types.js';
import type { BenchAdapter } from './adapter.js';
import { chartqaAdapter } from './chartqa.js';
import { docvqaAdapter } from './docvqa.js';
import { mmbenchAdapter } from './mmbench.js';
import { mmmuAdapter } from './mmmu.js';
import { mmvetAdapter } from './mmvet.js';
import { ocrbenchAdapter } from './ocrbench.js';
import { textvqaAdapter } from './textvqa.js';

export const ADAPTERS: Readonly<Record<BenchId, BenchAdapter>> = {
  textvqa: textvqaAdapter,
  docvqa: docvqaAdapter,
  chartqa: chartqaAdapter,
  ocrbench: ocrbenchAdapter,
  mmmu: mmmuAdapter,
  mmvet: mmvetAdapter,
  mmbench: mmbenchAdapter,
};
