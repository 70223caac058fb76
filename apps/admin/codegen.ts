import { existsSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';

// The API emits its schema to apps/api/schema.graphql (committed); until it exists the
// admin app generates from the contract it was written against.
const schema =
  process.env.FASCIA_SCHEMA ??
  (existsSync('../api/schema.graphql') ? '../api/schema.graphql' : './schema.contract.graphql');

const config: CodegenConfig = {
  schema,
  documents: ['src/**/*.tsx', 'src/**/*.ts', '!src/gql/**'],
  ignoreNoDocuments: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string' },
        skipTypename: false,
      },
    },
  },
};

export default config;
