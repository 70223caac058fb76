export * from './door';
export * from './referrals';
export * from './shared-records';
