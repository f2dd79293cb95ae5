// The dataset adapter of every benchmark, by id (each benchmark module's `dataset`).
import { BENCHMARKS, type BenchId } from '../benchmarks/registry.js';
import type { BenchAdapter } from './adapter.js';

export const ADAPTERS = Object.fromEntries(BENCHMARKS.map((m) => [m.id, m.dataset])) as Readonly<Record<BenchId, BenchAdapter>>;
