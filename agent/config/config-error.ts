// One config problem, located in the YAML so an admin can fix it from the message alone.

export interface ConfigProblem {
  /** Dotted key path, e.g. `exporters.otlp.endpoint` ('' for the document itself). */
  readonly path: string;
  /** 1-based line in the YAML file, or null when not known (embedded default, missing key). */
  readonly line: number | null;
  readonly message: string;
}

export function formatProblem(file: string, p: ConfigProblem): string {
  const where = p.line === null ? file : `${file}:${p.line}`;
  return p.path === '' ? `${where}: ${p.message}` : `${where}: ${p.path}: ${p.message}`;
}

export class ConfigError extends Error {
  readonly file: string;
  readonly problems: readonly ConfigProblem[];

  constructor(file: string, problems: readonly ConfigProblem[]) {
    super(problems.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'ConfigError';
    this.file = file;
    this.problems = problems;
  }
}
