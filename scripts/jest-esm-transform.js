'use strict';
// jest transform for the ESM-only dependencies (arquero, @uwdata/flechette, acorn): TypeScript's
// transpileModule rewrites their import/export to CommonJS for jest's module system (Node itself
// loads them through require(esm), Node >= 20.19). It replaces ts-jest for .js files, whose config
// cache is keyed by the jest config alone, so a second ts-jest entry with allowJs got the .ts
// entry's options and warned "Got a .js file to compile while allowJs option is not set".
const { createHash } = require('crypto');
const fs = require('fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  allowJs: true,
  esModuleInterop: true,
  sourceMap: false,
  inlineSourceMap: true,
  inlineSources: true,
};
const self = fs.readFileSync(__filename, 'utf8');

module.exports = {
  process(sourceText, sourcePath) {
    const out = ts.transpileModule(sourceText, {
      compilerOptions,
      fileName: sourcePath,
      reportDiagnostics: false,
    });
    return { code: out.outputText };
  },
  getCacheKey(sourceText, sourcePath) {
    return createHash('sha1')
      .update(self)
      .update(ts.version)
      .update(sourcePath)
      .update('\0')
      .update(sourceText)
      .digest('hex');
  },
};
