// The Security log's size and retention from `wevtutil gl Security /f:xml` (element names, not localized text),
// and the checks the agent makes on them.
import type { Result } from '../shared/index.ts';
import { err, ok } from '../shared/index.ts';

export interface SecurityLogSettings {
  readonly maxSizeBytes: number;
  /** true: "do not overwrite events" (with autoBackup: archive when full). */
  readonly retention: boolean;
  readonly autoBackup: boolean;
}

// Element names as the event manifest schema spells them (ChannelLoggingType); matched case-insensitively and
// with or without a namespace prefix, since the output carries the events namespace.
export function parseChannelXml(xml: string): Result<SecurityLogSettings, 'bad-channel-xml'> {
  const logging = /<(?:\w+:)?logging\b[^>]*>([\s\S]*?)<\/(?:\w+:)?logging>/i.exec(xml)?.[1];
  if (logging === undefined) return err('bad-channel-xml', 'wevtutil output has no <logging> element');
  const text = (name: string): string | undefined =>
    new RegExp(`<(?:\\w+:)?${name}>\\s*([^<]*?)\\s*</(?:\\w+:)?${name}>`, 'i').exec(logging)?.[1];
  const flag = (name: string): boolean => /^(true|1)$/i.test(text(name) ?? '');
  const maxSize = text('maxSize');
  if (maxSize === undefined || !/^\d+$/.test(maxSize)) {
    return err('bad-channel-xml', `wevtutil output has no numeric <maxSize> (found ${maxSize === undefined ? 'nothing' : `'${maxSize}'`})`);
  }
  return ok({ maxSizeBytes: Number(maxSize), retention: flag('retention'), autoBackup: flag('autoBackup') });
}

/** The size to raise the log to, or null when it is already at least `minSizeMb` (never lowers; 0 = off). */
export function sizeToRaise(current: SecurityLogSettings, minSizeMb: number): number | null {
  const wanted = minSizeMb * 1024 * 1024;
  return minSizeMb > 0 && current.maxSizeBytes < wanted ? wanted : null;
}

/** A one-line warning when a full log would stop recording (retain without archive), else null. */
export function retentionProblem(current: SecurityLogSettings): string | null {
  return current.retention && !current.autoBackup
    ? 'The Security log is set to "do not overwrite events" without archiving: when it is full, new block events are lost.'
    : null;
}
