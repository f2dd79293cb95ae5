import { bootstrapMeanInterval, quantileSorted } from './dist/harness/metrics/stats.js';
function fast(values, resamples = 2000, seed = 20240520) {
  const n = values.length;
  const data = Float64Array.from(values);
  const means = new Float64Array(resamples);
  let a = seed | 0;
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), a | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      sum += data[(((t ^ (t >>> 14)) >>> 0) * n / 4294967296) | 0];
    }
    means[r] = sum / n;
  }
  means.sort();
  return { lo: quantileSorted(means, 0.025), hi: quantileSorted(means, 0.975) };
}
const v = Array.from({length:5000}, (_, i) => [0,0.3,0.6,0.9,1][(i*7919)%5]);
for (let k=0;k<3;k++){let t=performance.now(); const r=bootstrapMeanInterval(v); const t1=performance.now()-t; t=performance.now(); const f=fast(v); console.log(t1.toFixed(1),(performance.now()-t).toFixed(1), r.lo===f.lo&&r.hi===f.hi);}
