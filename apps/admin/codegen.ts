import type { CodegenConfig } from '@graphql-codegen/cli';

// The API emits its schema to apps/api/schema.graphql (committed); the admin app's types
// come from it. FASCIA_SCHEMA points codegen elsewhere (e.g. a schema under review).
const schema = process.env.FASCIA_SCHEMA ?? '../api/schema.graphql';

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
