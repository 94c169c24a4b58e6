/**
 * Lab 01, latency vs utilisation: its experiments live in lib/labs/lab01/ (one per file); this
 * path keeps re-exporting them.
 */
export * from './lab01';
