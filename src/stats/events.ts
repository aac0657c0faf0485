/** Events, event metadata, event lists and conversion goals. */
import type { Statistic } from './statistic.ts';

export const eventStatistics: Statistic[] = [];
