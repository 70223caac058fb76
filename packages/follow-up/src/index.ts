export * from './quiet-hours';
export * from './templates';
export * from './policy';
export * from './sweeps';
export * from './referral-deadlines';
export * from './referral-messages';
