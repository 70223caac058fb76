export * from './types';
export * from './codes';
export * from './resources';
export * from './bundle';
