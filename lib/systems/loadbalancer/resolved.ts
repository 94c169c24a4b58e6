/**
 * A checked load balancer configuration (resolve.ts makes it from config.ts's types): every
 * default filled in, failures as the shared failure process's specs, `maxconn` Infinity for no
 * limit, each request class routed to its pool's index, the `prefix` of stations and streams.
 */
import type { Distribution } from '../../random/distribution';
import type { Outage, ResolvedFailureSpec } from '../common/failures';
import type {
  BackendDiscipline,
  FailureMode,
  HealthCheckConfig,
  OutlierDetectionConfig,
  PairConfig,
  RetryBudgetConfig,
  SlowStartConfig,
} from './config';
import type { BalanceAlgorithm } from './policies';

/** A checked configuration with every default filled in. */
export interface ResolvedBackend {
  name: string;
  speed: number;
  weight: number;
  workers: number;
  failures: Outage[];
  mttf: number;
  mttr: number;
  failure_mode: FailureMode;
  /** Infinity: no limit. */
  maxconn: number;
  discipline: BackendDiscipline;
  /** The same, as the shared failure process's spec (outages, or exponential mttf/mttr). */
  failure: ResolvedFailureSpec;
}

export interface ResolvedPool {
  name: string;
  backends: ResolvedBackend[];
  balance: BalanceAlgorithm;
  choice_count: number;
  active_request_bias: number;
  hash_balance_factor: number;
  minimum_ring_size: number;
  hash_key: 'source' | 'uri';
  hash_type: 'map-based' | 'consistent';
  healthy_panic_threshold: number;
  table_size: number;
  max_fails: number;
  fail_timeout: number;
  cookie: boolean;
  service: Distribution;
  health_check: Required<HealthCheckConfig> | null;
  outlier_detection: Required<OutlierDetectionConfig> | null;
  slow_start: Required<SlowStartConfig> | null;
  decay_time: number;
}

export interface ResolvedClass {
  path: string;
  host: string | undefined;
  weight: number;
  work: Distribution | null;
  /** Pool index, or -1 when the gateway does not route it. */
  pool: number;
}

export interface ResolvedConfig {
  /** Marks a checked configuration (a system built from it does not check it again). */
  readonly resolved: true;
  /** '' or the prefix of stations and streams, with its dot (`lb2.`). */
  prefix: string;
  mode: 'L4' | 'L7';
  clients: {
    /** `external`: called mode, no load of its own. */
    model: 'open' | 'closed' | 'external';
    rate: number;
    clients: number;
    users: number;
    think: Distribution;
    requests_per_connection: number;
    mix: ResolvedClass[];
  };
  balancer: {
    service: Distribution | null;
    workers: number;
    maxconn: number;
    failures: Outage[];
    failure: ResolvedFailureSpec;
    pair: Required<PairConfig> | null;
  };
  pools: ResolvedPool[];
  retries: number;
  retry_on: 'connect-failure' | '5xx';
  retry_budget: Required<RetryBudgetConfig> | null;
  fail_open: boolean;
  timeout_connect: number;
  timeout_queue: number;
  timeout_server: number;
  timeline_bin: number;
}
