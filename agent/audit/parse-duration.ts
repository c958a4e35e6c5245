// `300s`, `5m`, `1h`, `250ms` → milliseconds (the schema already checked the form).

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDurationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (match === null) throw new RangeError(`'${text}' is not a duration such as 300s, 5m or 1h`);
  return Number(match[1]) * UNIT_MS[match[2]!]!;
}
