export * from './door';
