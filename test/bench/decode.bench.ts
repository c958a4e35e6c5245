// Decode + interpret throughput on the bundled real events, repeated to >= 200,000 events, on one core.
// Rates are events per CPU-second of this process (user + system), which is throughput on one core and
// stays meaningful on a busy machine; the wall-clock rate is printed beside it. Runs the generic-parser
// alternative (fast-xml-parser) on the XML part too, so the hand-written scanner stays justified by a figure.
// Last line: events_per_second=N peak_rss_mb=M
import { cpus, arch, platform, release } from 'node:os';
import { XMLParser } from 'fast-xml-parser';
import { loadConfig } from '../../agent/config/index.ts';
import { decodeItem } from '../../agent/decode/index.ts';
import { createInterpreter } from '../../agent/interpret/index.ts';
import type { SourceItem } from '../../agent/source/index.ts';
import { benchInput } from './bench-input.ts';

const TARGET = Number(process.env['BENCH_EVENTS'] ?? 200_000);
const { xml, json, items } = benchInput(TARGET);
const bytes = items.reduce((n, i) => n + i.text.length, 0);

let peakRss = process.memoryUsage().rss;
const sampleRss = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);

interface Rate {
  readonly cpu: number;
  readonly wall: number;
}

function measure(count: number, body: () => void): Rate {
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  body();
  const cpu = process.cpuUsage(cpu0);
  const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
  return { cpu: count / ((cpu.user + cpu.system) / 1e6), wall: count / wall };
}

function run(subset: readonly SourceItem[] = items): Rate {
  const interpreter = createInterpreter(loadConfig(undefined).network);
  let bad = 0;
  const rate = measure(subset.length, () => {
    for (const item of subset) {
      const r = decodeItem(item);
      if (r.ok) interpreter.interpret(r.value);
      else bad++;
    }
  });
  if (bad > 0) throw new Error(`${bad} records failed to decode`);
  return rate;
}

function runXmlOnly(decode: (text: string) => unknown): Rate {
  const xmlItems = items.filter((i) => i.format === 'xml');
  return measure(xmlItems.length, () => {
    for (const item of xmlItems) decode(item.text);
  });
}

const fmt = (r: Rate) => `${r.cpu.toFixed(0)}/cpu-s (${r.wall.toFixed(0)}/s wall)`;

// Two warm-up runs (the JIT settles), then BENCH_RUNS measured ones; the headline is the best run, the
// median is printed beside it.
const RUNS = Number(process.env['BENCH_RUNS'] ?? 5);
run();
run();
const rates: Rate[] = [];
for (let i = 0; i < RUNS; i++) rates.push(run());
const eventsPerSecond = Math.max(...rates.map((r) => r.cpu));
const median = [...rates.map((r) => r.cpu)].sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
const jsonOnly = run(items.filter((i) => i.format === 'json'));
const xmlOnly = run(items.filter((i) => i.format === 'xml'));
const scannerXml = runXmlOnly((t) => decodeItem({ text: t, format: 'xml', recordId: null, file: 'b', position: 1 }));
const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' });
const libraryXml = runXmlOnly((t) => parser.parse(t));
clearInterval(sampleRss);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`machine: ${platform()} ${release()} ${arch()}, ${cpu}, ${cpus().length} cores, Node ${process.version}`);
console.log(`input: ${items.length} events (${xml.length} XML + ${json.length} JSON-line real events repeated), ${(bytes / items.length).toFixed(0)} chars/event`);
console.log(`decode+interpret, ${RUNS} runs: ${rates.map(fmt).join('; ')}; median ${median.toFixed(0)}/cpu-s`);
console.log(`by form: JSON lines ${fmt(jsonOnly)}; event XML ${fmt(xmlOnly)}`);
console.log(`XML decode only: focused scanner ${fmt(scannerXml)}; fast-xml-parser (parse only) ${fmt(libraryXml)}`);
console.log(`events_per_second=${eventsPerSecond.toFixed(0)} peak_rss_mb=${(peakRss / 1024 / 1024).toFixed(1)}`);
