/**
 * Lab 02, think-time capacity: its experiments live in lib/labs/lab02/ (one per file); this path
 * keeps re-exporting them.
 */
export * from './lab02';
