#!/usr/bin/env node
// Makes `require('scalelab')` and `import ... from 'scalelab'` resolve inside this checkout
// (notebooks, scripts, tslab's Node10 resolution) by linking node_modules/scalelab to the
// package root, as an installed dependency would be. Idempotent.
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..');
const link = path.join(root, 'node_modules', 'scalelab');
fs.mkdirSync(path.dirname(link), { recursive: true });
try {
  const st = fs.lstatSync(link);
  if (st.isSymbolicLink() && path.resolve(path.dirname(link), fs.readlinkSync(link)) === root) process.exit(0);
  fs.rmSync(link, { recursive: true, force: true });
} catch { /* absent */ }
fs.symlinkSync('..', link, 'dir');
