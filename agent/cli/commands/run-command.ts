import { notAvailable } from './not-available.ts';

export const runCommand = notAvailable('run', 'Read the Windows Security log live and export block events (Windows only).');
