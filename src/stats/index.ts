/** Every statistic the API serves, by family. */
import { dimensionStatistics } from './dimensions.ts';
import { eventStatistics } from './events.ts';
import { pageStatistics } from './pages.ts';
import { seriesStatistics } from './series.ts';
import type { Statistic } from './statistic.ts';
import { totalStatistics } from './totals.ts';

export const statistics: readonly Statistic[] = [
  ...totalStatistics,
  ...seriesStatistics,
  ...pageStatistics,
  ...dimensionStatistics,
  ...eventStatistics,
];
