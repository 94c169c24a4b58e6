/**
 * Lab 07, caching and the CDN: its experiments live in lib/labs/lab07/ (one per file); this path
 * keeps re-exporting them.
 */
export * from './lab07';
