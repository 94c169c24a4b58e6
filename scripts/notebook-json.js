'use strict';
// Builds nbformat 4.5 notebooks (tslab kernel, no outputs) from a list of cells: scripts/build-notebooks.js
// writes notebooks/*.ipynb from the percent-format sources notebooks/src/*.ts through it. A cell's id
// is the first 12 hex digits of the SHA-1 of its kind and text, so it changes only with its text.
const { createHash } = require('crypto');

function cell(kind, source, tags) {
  const text = Array.isArray(source) ? source.join('\n') : source;
  const lines = text
    .replace(/^\n+|\s+$/g, '')
    .split('\n')
    .map((l, i, all) => (i < all.length - 1 ? l + '\n' : l));
  const id = createHash('sha1')
    .update(kind + text)
    .digest('hex')
    .slice(0, 12);
  const c = { cell_type: kind, id, metadata: tags && tags.length ? { tags } : {}, source: lines };
  if (kind === 'code') Object.assign(c, { execution_count: null, outputs: [] });
  return c;
}

const md = (source, tags) => cell('markdown', source, tags);
const code = (source, tags) => cell('code', source, tags);

function notebook(cells) {
  return {
    cells,
    metadata: {
      kernelspec: { display_name: 'TypeScript (scalelab)', language: 'typescript', name: 'tslab' },
      language_info: {
        name: 'typescript',
        file_extension: '.ts',
        mimetype: 'text/typescript',
        codemirror_mode: { name: 'javascript', typescript: true },
      },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

module.exports = { md, code, notebook };
