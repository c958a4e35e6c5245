import { notAvailable } from './not-available.ts';

export const filtersCommand = notAvailable('filters', 'List the WFP filter catalog (which filter id is which rule).');
