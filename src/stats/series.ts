/** Hours, growth, active visitors and the duration series. */
import type { Statistic } from './statistic.ts';

export const seriesStatistics: Statistic[] = [];
