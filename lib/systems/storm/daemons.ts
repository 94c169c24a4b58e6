/**
 * Daemon failures, through the shared FailureProcess [S-dft]:
 * - a worker dies: its executors crash (tuples in their queues are lost), its ackers forget their
 *   trees (those time out and replay), its spout tasks lose their pending maps (the source replays
 *   those messages on restart, as a Kafka spout resumes from its committed offset, its source
 *   position kept), and every bolt task's in-memory state is lost (prepare runs again); the
 *   supervisor restarts the worker after the repair time;
 * - a node (supervisor machine) dies: its workers die; Nimbus reassigns them to free slots on live
 *   nodes after nimbus.task.timeout.secs, or they wait for the node to come back;
 * - Nimbus dies: the topology keeps running; nothing is reassigned until it is back;
 * - an acker executor dies alone: its trees can only time out.
 * An executor is down while any cause holds (its own, its worker's, its node's).
 */
import { FailureProcess, failsEver } from '../common/failures';
import type { Simulation } from '../../sim/simulation';
import type { Station } from '../../sim/station';
import type { StormCluster } from './cluster';

export class StormDaemons {
  readonly workers: FailureProcess[] = [];
  readonly nodes: FailureProcess[] = [];
  readonly ackers: FailureProcess[] = [];
  readonly nimbus: FailureProcess | null;
  /** Workers Nimbus moved to another node. */
  reassignments = 0;
  private readonly cl: StormCluster;
  private readonly sim: Simulation;
  private readonly nodeUp: Uint8Array;
  private readonly nodeDownAt: Float64Array;
  private readonly workerOnDeadNode: Uint8Array;
  private readonly reassignH: number;
  private nimbusUp = true;

  constructor(sim: Simulation, cl: StormCluster) {
    this.sim = sim;
    this.cl = cl;
    const cfg = cl.config;
    this.nodeUp = new Uint8Array(cfg.supervisors).fill(1);
    this.nodeDownAt = new Float64Array(cfg.supervisors);
    this.workerOnDeadNode = new Uint8Array(cfg.workers);
    this.reassignH = sim.handler((n) => this.reassign(n), 'storm.nimbus.reassign');
    cfg.failures.workers.forEach((spec, w) => {
      if (failsEver(spec))
        this.workers.push(
          new FailureProcess(
            sim,
            { crash: () => this.workerCause(w, 1), recover: () => this.workerCause(w, -1) },
            spec,
            { name: `storm.worker${w}` },
          ),
        );
    });
    cfg.failures.nodes.forEach((spec, n) => {
      if (failsEver(spec))
        this.nodes.push(
          new FailureProcess(
            sim,
            { crash: () => this.nodeCrash(n), recover: () => this.nodeRecover(n) },
            spec,
            { name: `storm.supervisor${n}` },
          ),
        );
    });
    cfg.failures.ackers.forEach((spec, a) => {
      if (!failsEver(spec)) return;
      const task = cl.ackerTasks[a];
      const e = cl.taskExec[task];
      this.ackers.push(
        new FailureProcess(
          sim,
          { crash: () => this.execCause(e, 1), recover: () => this.execCause(e, -1) },
          spec,
          { name: `storm.acker${a}` },
        ),
      );
    });
    this.nimbus = failsEver(cfg.failures.nimbus)
      ? new FailureProcess(
          sim,
          { crash: () => (this.nimbusUp = false), recover: () => this.nimbusRecover() },
          cfg.failures.nimbus,
          { name: 'storm.nimbus' },
        )
      : null;
  }

  /** Kills worker `w` now until {@link restartWorker} (an operator's kill -9; tests, timelines). */
  killWorker(w: number): void {
    this.workerCause(w, 1);
  }

  restartWorker(w: number): void {
    this.workerCause(w, -1);
  }

  private workerCause(w: number, delta: number): void {
    const cl = this.cl;
    cl.executors.forEach((e, i) => {
      if (e.worker === w) this.execCause(i, delta);
    });
  }

  private execCause(e: number, delta: number): void {
    const cl = this.cl;
    const before = cl.execDown[e];
    cl.execDown[e] += delta;
    const ex = cl.executors[e];
    if (before === 0 && delta > 0) {
      const st = cl.stations[e] as Station | null;
      if (st !== null) st.crash();
      for (const t of ex.tasks) {
        if (ex.component === '__acker') cl.spouts.forgetAckerTrees(t);
        else if (cl.components[cl.taskComp[t]].def.kind === 'spout') cl.spouts.dropSpoutTrees(t);
      }
    } else if (before > 0 && cl.execDown[e] === 0) {
      const st = cl.stations[e] as Station | null;
      if (st !== null) st.recover();
      for (const t of ex.tasks) {
        if (ex.component === '__acker') continue;
        const c = cl.components[cl.taskComp[t]];
        // a bolt's in-memory state is gone; a spout keeps its source position (a committed offset)
        if (c.def.kind === 'bolt') cl.prepareTask(c, t);
        else {
          cl.spouts.executorStarted(t);
          cl.spouts.unpark(t);
        }
      }
    }
  }

  private nodeCrash(n: number): void {
    this.nodeUp[n] = 0;
    this.nodeDownAt[n] = this.sim.now;
    for (let w = 0; w < this.cl.workerNode.length; w++) {
      if (this.cl.workerNode[w] === n && this.workerOnDeadNode[w] === 0) {
        this.workerOnDeadNode[w] = 1;
        this.workerCause(w, 1);
      }
    }
    this.sim.schedule(this.cl.config.nimbusTaskTimeoutSecs, this.reassignH, n);
  }

  private nodeRecover(n: number): void {
    this.nodeUp[n] = 1;
    for (let w = 0; w < this.cl.workerNode.length; w++) {
      if (this.cl.workerNode[w] === n && this.workerOnDeadNode[w] === 1) {
        this.workerOnDeadNode[w] = 0;
        this.workerCause(w, -1);
      }
    }
  }

  /** Nimbus moves the dead node's workers to free slots on live nodes (if Nimbus is up). */
  private reassign(n: number): void {
    if (!this.nimbusUp || this.nodeUp[n] === 1) return;
    const cl = this.cl;
    const used = new Int32Array(cl.config.supervisors);
    for (let w = 0; w < cl.workerNode.length; w++) used[cl.workerNode[w]]++;
    for (let w = 0; w < cl.workerNode.length; w++) {
      if (cl.workerNode[w] !== n || this.workerOnDeadNode[w] === 0) continue;
      let target = -1;
      for (let m = 0; m < used.length; m++)
        if (
          this.nodeUp[m] === 1 &&
          used[m] < cl.config.slotsPerSupervisor &&
          (target < 0 || used[m] < used[target])
        )
          target = m;
      if (target < 0) return;
      used[n]--;
      used[target]++;
      cl.workerNode[w] = target;
      this.workerOnDeadNode[w] = 0;
      this.reassignments++;
      this.workerCause(w, -1);
    }
  }

  private nimbusRecover(): void {
    this.nimbusUp = true;
    const timeout = this.cl.config.nimbusTaskTimeoutSecs;
    for (let n = 0; n < this.nodeUp.length; n++) {
      if (this.nodeUp[n] === 0 && this.sim.now - this.nodeDownAt[n] >= timeout) this.reassign(n);
    }
  }
}
