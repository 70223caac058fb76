export * from './errors';
export * from './evidence';
export * from './time';
export * from './intake';
export * from './screening';
export * from './techniques';
export * from './benchmarks';
export * from './plan';
