/**
 * Lab 04, the application gateway and microservices: fan-out tails, retry storms and the
 * metastable failure, circuit breakers, hedged requests, the bottleneck service, the availability
 * of a serial chain, and path routing to pools. Every experiment runs the microservices simulator
 * (lib/systems/microservices) beside its closed form.
 */
import { bottleneckService } from './bottleneck-service';
import { chainAvailabilityExperiment } from './chain-availability';
import { circuitBreaker } from './circuit-breaker';
import { fanoutTail } from './fanout-tail';
import { gatewayPathRouting } from './gateway-path-routing';
import { hedgedRequests } from './hedged-requests';
import { retryStorm } from './retry-storm';

export { fanoutTail, fanoutConfig } from './fanout-tail';
export {
  retryStorm,
  retryStormConfig,
  retryStormDefaults,
  retryStrategies,
  retryMultiplierOf,
} from './retry-storm';
export type { RetryStormOptions, RetryStrategy } from './retry-storm';
export { circuitBreaker, breakerConfig, breakerCallsTheory } from './circuit-breaker';
export type { BreakerScenario } from './circuit-breaker';
export { hedgedRequests, hedgeConfig, hedgeDelay, hedgeSettings } from './hedged-requests';
export {
  bottleneckService,
  bottleneckConfig,
  bottleneckDemands,
  bottleneckChain,
} from './bottleneck-service';
export { chainAvailabilityExperiment, chainConfig } from './chain-availability';
export {
  gatewayPathRouting,
  gatewayPathRoutingMix,
  gatewayPathRoutingPoolSizes,
} from './gateway-path-routing';

/** Every experiment of lab 04, in the notebook's order. */
export const lab04Experiments = [
  fanoutTail,
  retryStorm,
  circuitBreaker,
  hedgedRequests,
  bottleneckService,
  chainAvailabilityExperiment,
  gatewayPathRouting,
] as const;
