/** Pages, entry and exit pages, time on page. */
import type { Statistic } from './statistic.ts';

export const pageStatistics: Statistic[] = [];
