// One Jest run over every suite, so the summary counts them all.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.(t|j)sx?$': swc },
  // Tests run against the sources of the workspace packages, not their builds.
  moduleNameMapper: {
    '^@fascia/(planning|db|jobs|follow-up|reporting|fhir)$': '<rootDir>/packages/$1/src',
    '^@fascia/(planning|db|jobs|follow-up|reporting|fhir)/(.*)$': '<rootDir>/packages/$1/src/$2',
  },
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};
module.exports = {
  // Jest reads testTimeout only at the top level, not per project.
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,packages}/*/src/**/*.test.ts', '<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/infra/**/*.test.ts'],
      testPathIgnorePatterns: [...common.testPathIgnorePatterns, '\\.int\\.test\\.ts$'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,packages}/*/src/**/*.int.test.ts', '<rootDir>/apps/{api,worker}/test/**/*.test.ts', '<rootDir>/apps/admin/server/**/*.int.test.ts'],
      globalSetup: '<rootDir>/packages/db/test/global-setup.ts',
      globalTeardown: '<rootDir>/packages/db/test/global-teardown.ts',
      setupFiles: ['reflect-metadata'],
    },
    {
      ...common,
      displayName: 'browser',
      testMatch: ['<rootDir>/apps/admin/e2e/**/*.e2e.test.ts'],
      globalSetup: '<rootDir>/packages/db/test/global-setup.ts',
      globalTeardown: '<rootDir>/packages/db/test/global-teardown.ts',
      setupFiles: ['reflect-metadata'],
    },
  ],
};
