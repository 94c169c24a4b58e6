/** @type {import('jest').Config} */
// ESM-only dependencies (arquero and its @uwdata/flechette, acorn) are transformed to CommonJS
// for jest's module system (scripts/jest-esm-transform.js); Node itself loads them through
// require(esm) (Node >= 20.19).
const esmPackages = ['arquero', '@uwdata', 'acorn'].join('|');
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Transpile only (tsconfig.jest.json sets isolatedModules, which ts-jest reads as "no type
    // check"): type-checking every test file's program again in each worker was most of the suite's
    // CPU on the 2-core machines; `npm run typecheck` (in pretest) checks lib, tests, scripts and
    // notebooks once with tsconfig.json.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
    // Only the ESM dependencies that transformIgnorePatterns lets through; scalelab's own .js is CommonJS.
    '/node_modules/.+\\.m?js$': '<rootDir>/scripts/jest-esm-transform.js',
  },
  transformIgnorePatterns: [`node_modules/(?!(${esmPackages})/)`],
  testTimeout: 120000,
  // Math as a parameter of jest's module wrapper, so code under test reads it as a local: a global
  // lookup in jest's vm sandbox is about 50 times slower than in plain Node, and the simulation
  // code reads Math in its hot paths (this replaced the `const math = Math;` module aliases).
  sandboxInjectedGlobals: ['Math'],
  // Two workers on the 2-core machines: jest's default (cores - 1) runs every file on one core
  // while the notebook file mostly waits on its tslab kernel, a process of its own.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
};
