/** One metric's estimate at one row: the mean over replications and its interval, with the method used. */
export interface Interval {
  mean: number | null;
  lo: number | null;
  hi: number | null;
  /** The method's name, as the provenance reports it. */
  method: string;
}
