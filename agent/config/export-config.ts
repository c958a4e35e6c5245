// Placeholder section type; the stage that owns it defines its fields.
export type ExportersConfig = Readonly<Record<string, unknown>>;
export type MetricsConfig = Readonly<Record<string, unknown>>;
