import { notAvailable } from './not-available.ts';

export const replayCommand = notAvailable('replay', 'Send event files through the full pipeline to the configured exporters.');
