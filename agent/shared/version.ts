import { readFileSync } from 'node:fs';

// Read once from package.json so `--version` and `service.version` never drift from the release.
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
export const AGENT_VERSION: string = pkg.version;
