export * from './dates';
export * from './metrics';
