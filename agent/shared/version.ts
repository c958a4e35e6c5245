// Imported from package.json so `--version` and `service.version` never drift from the release. A JSON import,
// not a file read at run time: the Windows package's one-file bundle carries the value inline.
import pkg from '../../package.json' with { type: 'json' };

export const AGENT_VERSION: string = pkg.version;
