import { notAvailable } from './not-available.ts';

export const auditCommand = notAvailable('audit', 'Show, apply or restore the audit policy that makes block events exist.');
