/**
 * Overload of a replica's replay: its backlog (committed transactions it has not applied, the
 * lag in transactions) lives in the relay log, not in the apply station's queue, so the station's
 * own growth test cannot see it. Over the measured period the backlog grows by
 * G = lag_end − lag_start while the primary commits A transactions and the replica applies D;
 * a replay that cannot keep up (write rate above the apply rate) shows G growing like (λ − μ)·T,
 * and the kernel's growth test (lib/sim/overload.ts) flags it as for a queue.
 */
import { growthTest } from '../../sim/overload';
import type { OverloadSummary } from '../common/overload';
import type { ClusterState } from './state';

export class ReplayGrowth {
  private lagAtStart: Float64Array;
  private appliedAtStart: Float64Array;
  private committedAtStart = 0;

  constructor(private readonly state: ClusterState) {
    const n = state.nodeCount;
    this.lagAtStart = new Float64Array(n);
    this.appliedAtStart = new Float64Array(n);
    state.sim.onReset(() => this.restart());
  }

  private restart(): void {
    const s = this.state;
    this.committedAtStart = s.lastSeq;
    for (let r = 0; r < s.nodeCount; r++) {
      this.lagAtStart[r] = s.lagTransactions(r);
      this.appliedAtStart[r] = s.appliedPos[r];
    }
  }

  /** The replicas (up, not the primary, not retired) whose replay backlog grew without bound. */
  summary(): OverloadSummary {
    const s = this.state;
    const at: string[] = [];
    const committed = s.lastSeq - this.committedAtStart;
    for (let r = 0; r < s.nodeCount; r++) {
      if (r === s.primary || s.up[r] === 0 || s.retired[r] === 1) continue;
      if (
        growthTest(
          s.lagTransactions(r) - this.lagAtStart[r],
          committed,
          s.appliedPos[r] - this.appliedAtStart[r],
        )
      )
        at.push(`db${r}.replay`);
    }
    return { overloaded: at.length > 0, overloadedAt: at };
  }
}
