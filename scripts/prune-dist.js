#!/usr/bin/env node
// Removes compiled files in dist/ whose source in lib/ no longer exists (tsc never deletes an
// output, so a moved or deleted module would otherwise stay requirable from dist/ and ship in the
// tarball): dist/a/b.js, .js.map and .d.ts go when lib/a/b.ts is gone, a copied .json when
// lib/a/b.json is gone; empty folders go too. Run after every build (`npm run build`).
'use strict';
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const lib = path.join(root, 'lib');

function sourceOf(rel) {
  const m = /^(.*?)(\.d\.ts|\.js\.map|\.js|\.json)$/.exec(rel);
  if (!m) return null;
  return m[2] === '.json' ? rel : m[1] + '.ts';
}

function prune(dir) {
  let left = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (prune(full) === 0) fs.rmdirSync(full);
      else left++;
      continue;
    }
    const src = sourceOf(path.relative(dist, full));
    if (src !== null && !fs.existsSync(path.join(lib, src))) {
      fs.rmSync(full, { force: true });
      continue;
    }
    left++;
  }
  return left;
}

if (fs.existsSync(dist)) prune(dist);
