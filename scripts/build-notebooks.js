#!/usr/bin/env node
'use strict';
// Writes notebooks/NAME.ipynb (nbformat 4.5, no outputs) from each scripts/notebooks/NAME.js.
// The .js sources are what developers edit and review; test/notebook-sources.test.ts fails when
// a committed notebook differs from its source. `--check` only compares.
const fs = require('fs');
const path = require('path');
const root = path.resolve(__dirname, '..');
const srcDir = path.join(__dirname, 'notebooks');

function render(file) {
  return JSON.stringify(require(path.join(srcDir, file)), null, 1) + '\n';
}

function build({ check = false } = {}) {
  const stale = [];
  for (const file of fs.readdirSync(srcDir).filter((f) => f.endsWith('.js')).sort()) {
    const target = path.join(root, 'notebooks', file.replace(/\.js$/, '.ipynb'));
    const text = render(file);
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (current === text) continue;
    stale.push(path.relative(root, target));
    if (!check) fs.writeFileSync(target, text);
  }
  return stale;
}

module.exports = { build };
if (require.main === module) {
  const check = process.argv.includes('--check');
  const stale = build({ check });
  for (const f of stale) console.log(`${check ? 'differs from its source' : 'wrote'} ${f}`);
  process.exitCode = check && stale.length ? 1 : 0;
}
