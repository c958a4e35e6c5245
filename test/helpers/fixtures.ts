// Paths to the bundled fixtures and to the shared samples (which may be absent on a fresh clone).
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { needs } from './test-dependency.ts';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
export const MS_DOCS = join(FIXTURES, 'ms-docs');
export const OTRF = join(FIXTURES, 'otrf');
export const SHARED_SAMPLES = fileURLToPath(new URL('../../../shared/samples/', import.meta.url));

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}

export function otrfFiles(): string[] {
  return readdirSync(OTRF)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => join(OTRF, f));
}

export function msDocsFiles(): string[] {
  return readdirSync(MS_DOCS)
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => join(MS_DOCS, f));
}

/** The skip option when ../shared/samples/SUB is not beside the repo (a fresh clone elsewhere; a failure under CI). */
export function sharedSamplesSkip(sub: string): string | false {
  const problem = existsSync(join(SHARED_SAMPLES, sub)) ? null : `../shared/samples/${sub} is absent (licence: read-only at test time, not bundled)`;
  return needs(`../shared/samples/${sub}`, problem);
}
