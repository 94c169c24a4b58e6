#!/usr/bin/env node
'use strict';
// The `scalelab` command. The TypeScript sources in lib/ are compiled to dist/ on install.
const path = require('path');
// `scalelab run NAME | head`: a closed pipe ends the output, not with a stack trace
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(0);
  throw e;
});
let cli;
try {
  cli = require(path.join(__dirname, '..', 'dist', 'cli', 'index.js'));
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && /dist[\\/]cli[\\/]index\.js/.test(String(e.message))) {
    process.stderr.write(
      'scalelab: the library is not built; run `npm install` (or `npm run build`) in ' +
        path.join(__dirname, '..') +
        '\n',
    );
    process.exit(1);
  }
  throw e;
}
cli.main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write('scalelab: ' + (err && err.stack ? err.stack : String(err)) + '\n');
    process.exitCode = 1;
  },
);
