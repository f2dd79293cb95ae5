const t0=performance.now();
const which=process.argv[2];
if(which==='yargs') await import('yargs');
if(which==='chalk') await import('chalk');
if(which==='main') await import('./dist/harness/cli/main.js');
if(which==='cliui') await import('cliui');
if(which==='sw') await import('string-width');
if(which==='parser') await import('yargs-parser');
console.log(which, (performance.now()-t0).toFixed(1), 'ms import;', performance.now().toFixed(1),'ms since start');
