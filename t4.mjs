import { bootstrapMeanInterval } from './dist/harness/metrics/stats.js';
const v = Array.from({length:5000}, (_, i) => [0,0.3,0.6,0.9,1][i%5]);
for (let k=0;k<4;k++){const t=performance.now(); const r=bootstrapMeanInterval(v); console.log((performance.now()-t).toFixed(1), r.lo, r.hi);}
