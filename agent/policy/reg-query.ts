// `reg query <key> /s` output → values per subkey. The layout is the same on every display language (key
// lines start with the hive's English name; value lines are four-space separated name, REG_ type, data); only
// the error text and the unnamed value's label ("(Default)", "(Standard)", ...) are translated, and neither is
// read: a missing key is reg's exit code 1 with nothing on stdout.

export interface RegValue {
  readonly type: string;
  /** As reg prints it: REG_DWORD as `0x1`, REG_MULTI_SZ items joined by `\0`. */
  readonly data: string;
}

/** Subkey path relative to the queried key ('' for the key itself; `OtlpHeaders`, ...) → value name → value. */
export type RegTree = ReadonlyMap<string, ReadonlyMap<string, RegValue>>;

const VALUE_LINE = /^ {4}(.+?) {4}(REG_[A-Z_]+)(?: {4}(.*))?$/;

export function parseRegQuery(stdout: string, rootKey: string): RegTree {
  const tree = new Map<string, Map<string, RegValue>>();
  const root = normalizeKey(rootKey);
  let current: Map<string, RegValue> | null = null;
  for (const rawLine of stdout.split(/\r?\n/)) {
    const line = rawLine.replace(/\s+$/, '');
    if (line === '') continue;
    if (!line.startsWith(' ')) {
      const key = normalizeKey(line);
      if (key === root || key.startsWith(`${root}\\`)) {
        const sub = line.slice(line.length - (key.length - root.length)).replace(/^\\/, '');
        current = tree.get(sub) ?? new Map();
        tree.set(sub, current);
      } else current = null;
      continue;
    }
    const m = VALUE_LINE.exec(line);
    if (m === null || current === null) continue;
    // The unnamed (default) value: its label is translated, and no policy uses it.
    if (/^\(.*\)$/.test(m[1]!)) continue;
    current.set(m[1]!, { type: m[2]!, data: m[3] ?? '' });
  }
  return tree;
}

/** Upper-case, hive abbreviations expanded (HKLM → HKEY_LOCAL_MACHINE), no trailing backslash. */
function normalizeKey(key: string): string {
  return key
    .trim()
    .replace(/^HKLM(?=\\|$)/i, 'HKEY_LOCAL_MACHINE')
    .replace(/\\+$/, '')
    .toUpperCase();
}

/** REG_DWORD data (`0x1`) → number, or null. */
export function dwordValue(v: RegValue): number | null {
  if (v.type !== 'REG_DWORD' || !/^0x[0-9a-f]+$/i.test(v.data)) return null;
  return Number.parseInt(v.data.slice(2), 16);
}
