// Placeholder section type; the stage that owns it defines its fields.
export type FiltersConfig = Readonly<Record<string, unknown>>;
export type PathsConfig = Readonly<Record<string, unknown>>;
