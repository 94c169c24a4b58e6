export * from './types';
export * from './builders';
export * from './serialize';
export * from './html';
export * from './display';
