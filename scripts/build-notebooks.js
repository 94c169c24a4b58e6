#!/usr/bin/env node
'use strict';
// Writes notebooks/NAME.ipynb (nbformat 4.5, tslab kernel, no outputs) from each notebooks/src/NAME.ts.
// The sources are percent-format TypeScript as jupytext writes them (jupytext.readthedocs.io,
// "The percent format"): an optional `// ---` YAML header for jupytext, then cells, each opened by
// `// %%` (code) or `// %% [markdown]` (markdown, every line `// `-commented, `//` for an empty
// line), optionally followed by `tags=["parameters"]`. Leading and trailing blank lines of a cell
// are dropped. The sources are what developers edit, review and type-check (`npm run typecheck`);
// test/notebook-sources.test.ts fails when a committed notebook differs from its source.
// `--check` only compares.
const fs = require('fs');
const path = require('path');
const { code, md, notebook } = require('./notebook-json.js');

const root = path.resolve(__dirname, '..');
const srcDir = path.join(root, 'notebooks', 'src');

/** The header jupytext writes for a TypeScript percent notebook on the tslab kernel. */
const percentHeader = [
  '// ---',
  '// jupyter:',
  '//   jupytext:',
  '//     text_representation:',
  '//       extension: .ts',
  '//       format_name: percent',
  "//       format_version: '1.3'",
  '//       jupytext_version: 1.16.4',
  '//   kernelspec:',
  '//     display_name: TypeScript (scalelab)',
  '//     language: typescript',
  '//     name: tslab',
  '// ---',
  '',
].join('\n');

const marker = /^\/\/ %%(?: \[(markdown|md)\])?(?: (.*))?$/;

/** Parses the cell options after `// %%`: only `tags=[...]` (a JSON list of strings) is allowed. */
function parseOptions(options, where) {
  if (!options || !options.trim()) return [];
  const m = /^tags=(\[.*\])$/.exec(options.trim());
  let tags;
  try {
    tags = m && JSON.parse(m[1]);
  } catch {
    tags = null;
  }
  if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) {
    throw new Error(`${where}: cell options must be tags=["..."], got ${JSON.stringify(options)}`);
  }
  return tags;
}

/** The cells of one percent-format source: [{ kind: 'code' | 'markdown', text, tags }]. */
function parsePercent(text, file = 'notebook') {
  const lines = text.split('\n');
  let i = 0;
  if (lines[0] === '// ---') {
    i = lines.indexOf('// ---', 1) + 1;
    if (i === 0) throw new Error(`${file}: the jupytext header opened on line 1 is never closed`);
  }
  const cells = [];
  let current = null;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const m = marker.exec(line);
    if (m) {
      current = {
        kind: m[1] ? 'markdown' : 'code',
        lines: [],
        tags: parseOptions(m[2], `${file}:${i + 1}`),
      };
      cells.push(current);
    } else if (current) {
      current.lines.push({ line, at: i + 1 });
    } else if (line.trim() !== '') {
      throw new Error(`${file}:${i + 1}: text before the first // %% cell marker`);
    }
  }
  return cells.map((c) => {
    const body = c.lines.map(({ line, at }) => {
      if (c.kind === 'code' || line.trim() === '') return line;
      if (line === '//' || line.startsWith('// ')) return line.slice(3);
      throw new Error(
        `${file}:${at}: a markdown line must start with "// " (or be "//"), got ${JSON.stringify(line)}`,
      );
    });
    return { kind: c.kind, text: body.join('\n').replace(/^\n+|\s+$/g, ''), tags: c.tags };
  });
}

/** The .ipynb text a percent-format source builds. */
function render(text, file) {
  const cells = parsePercent(text, file).map((c) =>
    c.kind === 'markdown' ? md(c.text) : code(c.text, c.tags),
  );
  return JSON.stringify(notebook(cells), null, 1) + '\n';
}

function build({ check = false } = {}) {
  const stale = [];
  for (const file of fs
    .readdirSync(srcDir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const target = path.join(root, 'notebooks', file.replace(/\.ts$/, '.ipynb'));
    const text = render(
      fs.readFileSync(path.join(srcDir, file), 'utf8'),
      path.join('notebooks', 'src', file),
    );
    const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : null;
    if (current === text) continue;
    stale.push(path.relative(root, target));
    if (!check) fs.writeFileSync(target, text);
  }
  return stale;
}

module.exports = { build, parsePercent, render, percentHeader };
if (require.main === module) {
  const check = process.argv.includes('--check');
  const stale = build({ check });
  for (const f of stale) console.log(`${check ? 'differs from its source' : 'wrote'} ${f}`);
  process.exitCode = check && stale.length ? 1 : 0;
}
