export * from './registry';
export * from './outbox';
export * from './invitation-token';
export * from './connection';
export * from './secrets';
export * from './link-token';
export * from './webhooks';
export * from './fhir-export';
