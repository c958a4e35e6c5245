// Placeholder section type; the stage that owns it defines its fields.
export type SourceConfig = Readonly<Record<string, unknown>>;
