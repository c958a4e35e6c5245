import { notAvailable } from './not-available.ts';

export const explainCommand = notAvailable('explain', 'Print exactly what the agent would export for each event in FILE...');
