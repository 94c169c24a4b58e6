#!/usr/bin/env node
// Makes `require('scalelab')` and `import ... from 'scalelab'` resolve inside this checkout
// (notebooks, scripts, tslab's Node10 resolution) by linking node_modules/scalelab to the
// package root, as an installed dependency would be; and links the `scalelab` command into
// node_modules/.bin so that `npx scalelab ...` works here (npm links dependencies' bins only).
// Idempotent.
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..');

function link(target, at, type) {
  fs.mkdirSync(path.dirname(at), { recursive: true });
  try {
    if (fs.lstatSync(at).isSymbolicLink() && fs.readlinkSync(at) === target) return;
    fs.rmSync(at, { recursive: true, force: true });
  } catch {
    /* absent */
  }
  fs.symlinkSync(target, at, type);
}

link('..', path.join(root, 'node_modules', 'scalelab'), 'dir');
link(
  path.join('..', '..', 'bin', 'scalelab.js'),
  path.join(root, 'node_modules', '.bin', 'scalelab'),
  'file',
);
