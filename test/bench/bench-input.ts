// The benchmarks' input: the bundled real events, with event XML (what the live source delivers) repeated up
// to half of the mix, since the bundled set is mostly JSON lines; then repeated to the target count.
import { loadReplayFile } from '../../agent/source/index.ts';
import type { SourceItem } from '../../agent/source/index.ts';
import { msDocsFiles, otrfFiles } from '../helpers/fixtures.ts';

export interface BenchInput {
  /** Every bundled event once. */
  readonly base: readonly SourceItem[];
  readonly xml: readonly SourceItem[];
  readonly json: readonly SourceItem[];
  /** JSON lines plus XML repeated to the same count. */
  readonly mix: readonly SourceItem[];
  /** The mix repeated to at least `target` items. */
  readonly items: readonly SourceItem[];
}

export function benchInput(target: number): BenchInput {
  const base = [...msDocsFiles(), ...otrfFiles()].flatMap((f) => [...loadReplayFile(f).items]);
  const xml = base.filter((i) => i.format === 'xml');
  const json = base.filter((i) => i.format === 'json');
  const mix: SourceItem[] = [...json];
  while (mix.filter((i) => i.format === 'xml').length < json.length) mix.push(...xml);
  const items: SourceItem[] = [];
  while (items.length < target) items.push(...mix);
  return { base, xml, json, mix, items };
}
