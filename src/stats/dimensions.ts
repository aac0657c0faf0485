/** Referrers, UTM, languages, countries, cities, devices, platforms, screens. */
import type { Statistic } from './statistic.ts';

export const dimensionStatistics: Statistic[] = [];
