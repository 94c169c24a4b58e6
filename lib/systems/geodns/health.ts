/**
 * A Route 53 health check on one datacenter: a check every `request_interval` seconds (30, or 10
 * for fast checks), the endpoint unhealthy after `failure_threshold` consecutive failed checks and
 * healthy again after as many consecutive passes (Route 53 Developer Guide, "How Route 53
 * determines whether a health check is healthy"). A check fails when the datacenter is down (a
 * refused connection is known at once, so the check's own timeout plays no part).
 *
 * Route 53 runs the check from many checker locations and calls the endpoint healthy when more
 * than 18 % of them say so; with a site that is either up or down for all of them, that is one
 * checker, modelled here, whose phase is uniform in the interval (its own random stream). So
 * after a crash at a uniform time, detection takes (failure_threshold − 1 + U) · request_interval,
 * mean (failure_threshold − ½) · request_interval: 75 s with the defaults, 25 s with fast checks.
 */
import type { Simulation } from '../../sim/simulation';
import { Latency } from '../common/latency';

export interface HealthTarget {
  /** Whether the endpoint answers a check now. */
  readonly up: boolean;
}

export class HealthChecker {
  /** The status Route 53 sees: true while healthy. */
  healthy = true;
  /** Checks made and failed since start or reset. */
  checks = 0;
  failedChecks = 0;
  /** Time from each crash to the status turning unhealthy. */
  readonly detection: Latency;
  /** When the status last changed to unhealthy (NaN if never). */
  markedDownAt = NaN;
  private failStreak = 0;
  private passStreak = 0;
  private crashedAt = NaN;
  private readonly sim: Simulation;
  private readonly target: HealthTarget;
  private readonly interval: number;
  private readonly threshold: number;
  private readonly checkH: number;
  private readonly onChange: (healthy: boolean) => void;

  constructor(
    sim: Simulation,
    target: HealthTarget,
    options: {
      name: string;
      request_interval: number;
      failure_threshold: number;
      onChange: (healthy: boolean) => void;
    },
  ) {
    this.sim = sim;
    this.target = target;
    this.interval = options.request_interval;
    this.threshold = options.failure_threshold;
    this.onChange = options.onChange;
    this.detection = new Latency(sim, false);
    this.checkH = sim.handler(() => this.check(), `${options.name}.health_check`);
    const phase = sim.streams.get(`${options.name}.health`).next() * this.interval;
    sim.schedule(phase, this.checkH);
    sim.onReset(() => {
      this.checks = 0;
      this.failedChecks = 0;
    });
  }

  /** Tells the checker when the endpoint crashed (to measure detection). */
  noteCrash(): void {
    this.crashedAt = this.sim.now;
  }

  private check(): void {
    this.sim.schedule(this.interval, this.checkH);
    this.checks++;
    if (this.target.up) {
      this.failStreak = 0;
      if (!this.healthy && ++this.passStreak >= this.threshold) {
        this.healthy = true;
        this.onChange(true);
      }
      return;
    }
    this.failedChecks++;
    this.passStreak = 0;
    if (this.healthy && ++this.failStreak >= this.threshold) {
      this.healthy = false;
      this.markedDownAt = this.sim.now;
      if (this.crashedAt === this.crashedAt) this.detection.record(this.sim.now - this.crashedAt);
      this.crashedAt = NaN;
      this.onChange(false);
    }
  }
}
