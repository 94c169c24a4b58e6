/**
 * Trigger rules, evaluated as Airflow's scheduler does (airflow-core/src/airflow/ti_deps/deps/
 * trigger_rule_dep.py, `_evaluate_direct_relatives`, with `flag_upstream_failed=True` as in the
 * scheduler; reference: subsystems.md §6.2). A rule looks only at the task instance's direct
 * upstream task instances, counted by final state; upstreams still unfinished count in `upstream`
 * but in no state.
 *
 * The result is one of: `run` (the dependency is met: the TI may be scheduled), `wait` (not yet),
 * or a state to set at once, `skipped` or `upstream_failed` (and the TI never runs). Examples of
 * the code's rules: `all_success` skips as soon as one upstream is skipped and is upstream_failed
 * as soon as one failed, without waiting for the others; `one_success` runs at the first success;
 * `none_failed_min_one_success` (the join after a branch) is skipped only when every upstream was
 * skipped; `all_done_min_one_success` is skipped as soon as any upstream is skipped (the code's
 * "skipped tasks are not done" rule).
 */
export const TRIGGER_RULES = [
  'all_success',
  'all_failed',
  'all_done',
  'all_done_min_one_success',
  'all_skipped',
  'one_failed',
  'one_success',
  'one_done',
  'none_failed',
  'none_failed_min_one_success',
  'none_skipped',
  'always',
] as const;
export type TriggerRule = (typeof TRIGGER_RULES)[number];

/** Direct upstream task instances by final state; `upstream` is how many there are in all. */
export interface UpstreamStates {
  upstream: number;
  success: number;
  failed: number;
  skipped: number;
  upstream_failed: number;
}

export type RuleDecision = 'run' | 'wait' | 'skipped' | 'upstream_failed';

/** The trigger rule's decision for one task instance given its direct upstreams' states. */
export function evaluateTriggerRule(rule: TriggerRule, u: UpstreamStates): RuleDecision {
  const { upstream, success, failed, skipped } = u;
  const upFailed = u.upstream_failed;
  if (upstream === 0 || rule === 'always') return 'run';
  const done = success + failed + skipped + upFailed;
  const upstreamDone = done >= upstream;
  switch (rule) {
    case 'all_success':
      if (upFailed || failed) return 'upstream_failed';
      if (skipped) return 'skipped';
      return upstream - success > 0 ? 'wait' : 'run';
    case 'all_failed':
      if (success || skipped) return 'skipped';
      return upstream - failed - upFailed > 0 ? 'wait' : 'run';
    case 'one_success':
      if (upstreamDone && done === skipped) return 'skipped';
      if (upstreamDone && success <= 0) return 'upstream_failed';
      return success <= 0 ? 'wait' : 'run';
    case 'one_failed':
      if (upstreamDone && !(failed || upFailed)) return 'skipped';
      return !failed && !upFailed ? 'wait' : 'run';
    case 'one_done':
      if (upstreamDone && !(failed || success)) return 'skipped';
      return success + failed <= 0 ? 'wait' : 'run';
    case 'all_done':
      return upstreamDone ? 'run' : 'wait';
    case 'none_failed':
      if (upFailed || failed) return 'upstream_failed';
      return upstream - success - skipped > 0 ? 'wait' : 'run';
    case 'none_failed_min_one_success':
      if (upFailed || failed) return 'upstream_failed';
      if (skipped === upstream) return 'skipped';
      return upstream - success - skipped > 0 ? 'wait' : 'run';
    case 'none_skipped':
      if (skipped) return 'skipped';
      return !upstreamDone ? 'wait' : 'run';
    case 'all_skipped':
      if (success || failed || upFailed) return 'skipped';
      return upstream - skipped > 0 ? 'wait' : 'run';
    case 'all_done_min_one_success': {
      if (skipped > 0) return 'skipped';
      const nonSkippedDone = success + failed + upFailed;
      if (nonSkippedDone >= upstream - skipped && success === 0) return 'upstream_failed';
      if (nonSkippedDone < upstream - skipped) return 'wait';
      return 'run';
    }
    default:
      return 'wait';
  }
}
