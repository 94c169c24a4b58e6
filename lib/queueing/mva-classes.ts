/**
 * Input shared by the multiclass MVA solvers (exact and Bard-Schweitzer): classes with populations
 * and think times, stations with a demand per class.
 */
import { ParameterError, requireInteger, requireNonNegative } from '../errors';

export interface MvaClass {
  readonly name?: string;
  /** Jobs of this class, an integer >= 0. */
  readonly population: number;
  /** Think time of this class (default 0). */
  readonly thinkTime?: number;
}

export interface MulticlassStation {
  readonly name?: string;
  /** 'queue' (single server, the default) or 'delay'. */
  readonly kind?: 'queue' | 'delay';
  /** Service demand per class, in class order. */
  readonly demands: readonly number[];
}

export interface MulticlassMvaParams {
  readonly classes: readonly MvaClass[];
  readonly stations: readonly MulticlassStation[];
}

/** Per-class, per-station results of a multiclass solver. Arrays are [class][station]. */
export interface MulticlassMvaResult {
  readonly model: string;
  readonly classNames: readonly string[];
  readonly names: readonly string[];
  /** Population per class. */
  readonly N: readonly number[];
  /** Think time per class. */
  readonly Z: readonly number[];
  /** Throughput per class. */
  readonly throughput: readonly number[];
  /** Response time per class (sum of residence times, excluding think time). */
  readonly responseTime: readonly number[];
  /** Throughput of class r at station k (= class throughput; demands carry the visits). */
  readonly X: readonly (readonly number[])[];
  /** Residence time of class r at station k. */
  readonly R: readonly (readonly number[])[];
  /** Mean number of class-r jobs at station k. */
  readonly Q: readonly (readonly number[])[];
  /** Utilisation of station k by class r (X_r D_rk). */
  readonly U: readonly (readonly number[])[];
  /** Total mean number at each station, all classes. */
  readonly Qtotal: readonly number[];
  /** Total utilisation of each station, all classes. */
  readonly Utotal: readonly number[];
  /** Fixed-point iterations used (approximate solvers only). */
  readonly iterations?: number;
}

export interface NormalisedClasses {
  readonly classCount: number;
  readonly stationCount: number;
  readonly classNames: string[];
  readonly names: string[];
  readonly population: Int32Array;
  readonly think: Float64Array;
  /** demand[r * stationCount + k] */
  readonly demand: Float64Array;
  readonly isDelay: Uint8Array;
}

export function normaliseClasses(params: MulticlassMvaParams): NormalisedClasses {
  const { classes, stations } = params;
  if (!Array.isArray(classes) || classes.length === 0) {
    throw new ParameterError(
      'classes',
      classes,
      'must be a non-empty array of {population, thinkTime?}',
    );
  }
  if (!Array.isArray(stations) || stations.length === 0) {
    throw new ParameterError(
      'stations',
      stations,
      'must be a non-empty array of {demands: [one per class], kind?}',
    );
  }
  const R = classes.length;
  const K = stations.length;
  const population = new Int32Array(R);
  const think = new Float64Array(R);
  classes.forEach((c, r) => {
    population[r] = requireInteger(`classes[${r}].population`, c?.population, 0, 1e7);
    think[r] = requireNonNegative(`classes[${r}].thinkTime`, c?.thinkTime ?? 0);
  });
  const demand = new Float64Array(R * K);
  const isDelay = new Uint8Array(K);
  stations.forEach((s, k) => {
    if (s?.kind !== undefined && s.kind !== 'queue' && s.kind !== 'delay') {
      throw new ParameterError(
        `stations[${k}].kind`,
        s.kind,
        'must be "queue" or "delay" (multi-server stations: single-class MVA only)',
      );
    }
    isDelay[k] = s.kind === 'delay' ? 1 : 0;
    if (!Array.isArray(s?.demands) || s.demands.length !== R) {
      throw new ParameterError(
        `stations[${k}].demands`,
        s?.demands,
        `must list one demand per class (${R})`,
      );
    }
    s.demands.forEach(
      (d: number, r: number) =>
        (demand[r * K + k] = requireNonNegative(`stations[${k}].demands[${r}]`, d)),
    );
  });
  for (let r = 0; r < R; r++) {
    let total = think[r];
    for (let k = 0; k < K; k++) total += demand[r * K + k];
    if (population[r] > 0 && !(total > 0)) {
      throw new ParameterError(
        `classes[${r}]`,
        classes[r],
        'needs a demand > 0 somewhere or a think time > 0',
      );
    }
  }
  return {
    classCount: R,
    stationCount: K,
    classNames: classes.map((c, r) => c.name ?? `class${r + 1}`),
    names: stations.map((s, k) => s.name ?? `station${k + 1}`),
    population,
    think,
    demand,
    isDelay,
  };
}

/** Builds the result object from per-class throughputs and residence times. */
export function multiclassResult(
  model: string,
  nc: NormalisedClasses,
  throughput: Float64Array,
  residence: Float64Array,
  iterations?: number,
): MulticlassMvaResult {
  const R = nc.classCount;
  const K = nc.stationCount;
  const perClass = (f: (r: number, k: number) => number) =>
    Array.from({ length: R }, (_, r) => Array.from({ length: K }, (_, k) => f(r, k)));
  const Q = perClass((r, k) => throughput[r] * residence[r * K + k]);
  const U = perClass((r, k) => throughput[r] * nc.demand[r * K + k]);
  const sumOver = (m: number[][]) =>
    Array.from({ length: K }, (_, k) => m.reduce((a, row) => a + row[k], 0));
  const result: MulticlassMvaResult = {
    model,
    classNames: nc.classNames,
    names: nc.names,
    N: Array.from(nc.population),
    Z: Array.from(nc.think),
    throughput: Array.from(throughput),
    responseTime: Array.from({ length: R }, (_, r) => {
      let s = 0;
      for (let k = 0; k < K; k++) s += residence[r * K + k];
      return s;
    }),
    X: perClass((r) => throughput[r]),
    R: perClass((r, k) => residence[r * K + k]),
    Q,
    U,
    Qtotal: sumOver(Q),
    Utotal: sumOver(U),
  };
  return iterations === undefined ? result : { ...result, iterations };
}
