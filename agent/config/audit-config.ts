// Placeholder section type; the stage that owns it defines its fields.
export type AuditPolicyConfig = Readonly<Record<string, unknown>>;
