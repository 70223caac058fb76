// Runs apps/worker/src/main.ts from source in a child process (the acceptance tests
// start, SIGKILL and restart real worker processes). TypeScript is compiled on require
// with SWC, configured like Jest's transform; @fascia/* resolve to the packages' sources.
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../../../..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@fascia\/(planning|db|jobs|follow-up)(\/.*)?$/.exec(request);
  return resolve.call(this, m ? path.join(root, 'packages', m[1], 'src', m[2] ?? '') : request, parent, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
require(path.join(root, 'apps/worker/src/main.ts'));
