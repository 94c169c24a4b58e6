/**
 * Where executors run, as Storm's default (even) scheduler places them: each component's tasks
 * are split into `parallelism` executors of contiguous task ranges, the first executors taking
 * one task more when they do not divide evenly (Utils.partitionFixed); the executors, acker
 * executors first (`__acker` sorts before user components), then the components in sorted id
 * order, go round robin to the topology's workers; and workers go to slots interleaved across
 * supervisors (node 0 port 0, node 1 port 0, ..., node 0 port 1, ...: EvenScheduler.sortSlots).
 * Doc example [S-par]: 2 + 2 + 6 executors over 2 workers: 5 executors per worker (plus ackers).
 */

export interface Executor {
  /** Component id, or '__acker'. */
  component: string;
  /** Task ids this executor runs (contiguous). */
  tasks: number[];
  worker: number;
}

/** Splits `tasks` into `parts` contiguous groups, the first ones one larger (partitionFixed). */
export function partitionFixed<T>(parts: number, tasks: readonly T[]): T[][] {
  const out: T[][] = [];
  const base = Math.floor(tasks.length / parts);
  const extra = tasks.length % parts;
  let i = 0;
  for (let p = 0; p < parts; p++) {
    const n = base + (p < extra ? 1 : 0);
    out.push(tasks.slice(i, i + n));
    i += n;
  }
  return out;
}

/** Executors of every component plus the ackers, with their workers (round robin). */
export function placeExecutors(
  components: ReadonlyArray<{ id: string; parallelism: number; tasks: readonly number[] }>,
  ackerTasks: readonly number[],
  workers: number,
): Executor[] {
  const list: Array<{ component: string; tasks: number[] }> = [];
  for (const t of ackerTasks) list.push({ component: '__acker', tasks: [t] });
  for (const c of components)
    for (const g of partitionFixed(c.parallelism, c.tasks))
      list.push({ component: c.id, tasks: g });
  return list.map((e, i) => ({ ...e, worker: i % workers }));
}

/** The supervisor each worker starts on: slots interleaved across supervisors. */
export function placeWorkers(
  workers: number,
  supervisors: number,
  slotsPerSupervisor: number,
): number[] {
  const out: number[] = [];
  for (let w = 0; w < workers; w++) out.push(w % supervisors);
  // with interleaving, worker w takes port floor(w / supervisors) of node w mod supervisors
  if (Math.ceil(workers / supervisors) > slotsPerSupervisor) throw new Error('not enough slots');
  return out;
}
