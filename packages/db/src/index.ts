import 'reflect-metadata';
export * from './entities';
export * from './data-source';
export * from './errors';
export * from './tenant/tenant-scope';
export { MIGRATIONS } from './migrations';
export { SnakeNamingStrategy } from './naming';
export * from './tenant/access';
export * from './clock';
