/**
 * postgres-measured's figures, split from postgres-measured.ts (no behaviour change): the commit
 * latency per synchronous_commit level, and the read-after-write and replay_lag lags vs write rate.
 */
import type { ColumnTable } from 'arquero';
import { synchronousCommitLevels } from '../../measure/postgres';
import { measuredFigure } from './figures';

export function postgresFigures(t: ColumnTable): ReturnType<typeof measuredFigure>[] {
  const lag = t.filter((d: Record<string, unknown>) => d.part === 'lag');
  const commit = t.filter((d: Record<string, unknown>) => d.part === 'commit');
  const levels = measuredFigure(commit, {
    x: 'levelOrder',
    y: 'commitLatency',
    theory: ['commitLatency_theory'],
    theoryNames: ['model (light load)'],
    title:
      'Real PostgreSQL (◆) vs the calibrated model (○, line): commit latency per synchronous_commit',
    xAxis: { title: 'synchronous_commit' },
    yAxis: { title: 'commit latency (s)', fromZero: true },
  });
  if (levels.layout?.xaxis)
    Object.assign(levels.layout.xaxis, {
      tickmode: 'array',
      tickvals: [0, 1, 2, 3, 4],
      ticktext: [...synchronousCommitLevels],
    });
  return [
    measuredFigure(lag, {
      x: 'writeRate',
      y: 'visibleLag',
      theory: ['visibleLag_theory'],
      theoryNames: ['model: max(R_1, flush_lag + R_h + M/M/1 replay)'],
      title:
        'Real PostgreSQL (◆ read-after-write probe) vs the model (○ simulated, line): replica lag vs write rate',
      xAxis: { title: 'write rate (transactions/s)', log: true },
      yAxis: { title: 'lag (s)', fromZero: true },
    }),
    measuredFigure(lag, {
      x: 'writeRate',
      y: 'replayLag',
      theory: ['visibleLag_theory'],
      theoryNames: ['model'],
      title:
        "pg_stat_replication's replay_lag (◆) vs the model: reported at the standby's next reply",
      xAxis: { title: 'write rate (transactions/s)', log: true },
      yAxis: { title: 'replay_lag (s)', fromZero: true },
    }),
    levels,
  ];
}
