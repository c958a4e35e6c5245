// `npm run bench` runs this before the measured run: it loads the bench file with WFP_BENCH_COMPILE_ONLY=1,
// which stops right after its imports, so every module the bench uses is type-stripped and compiled into Node's
// compile cache. The measured run then starts the way the service does after its first start: no TypeScript
// stripper in memory (agent/cli/compile-cache.mjs). What this step costs is printed, not hidden.
import module from 'node:module';
import { pathToFileURL } from 'node:url';

module.enableCompileCache?.();
const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: node test/bench/compile-only.mjs BENCH_FILE\n');
  process.exit(2);
}
process.env.WFP_BENCH_COMPILE_ONLY = '1';
process.on('exit', () => {
  const { maxRSS } = process.resourceUsage();
  process.stdout.write(`compile step (${file}): peak ${(maxRSS / 1024).toFixed(0)} MB RSS, cache in ${module.getCompileCacheDir?.() ?? 'none'}\n`);
});
await import(pathToFileURL(file).href);
