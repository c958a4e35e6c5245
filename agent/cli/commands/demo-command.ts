import { notAvailable } from './not-available.ts';

export const demoCommand = notAvailable('demo', 'Run the pipeline on the bundled real events and show what it exports.');
