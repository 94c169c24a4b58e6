/** @type {import('jest').Config} */
// ESM-only dependencies (arquero and its @uwdata/flechette, acorn) are transformed to CommonJS
// for jest's module system; Node itself loads them through require(esm) (Node >= 20.19).
const esmPackages = ['arquero', '@uwdata', 'acorn'].join('|');
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    '^.+\\.m?js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022', esModuleInterop: true }, isolatedModules: true }],
  },
  transformIgnorePatterns: [`node_modules/(?!(${esmPackages})/)`],
  testTimeout: 120000,
  // Two workers on the 2-core machines: jest's default (cores - 1) runs every file on one core
  // while the notebook file mostly waits on its tslab kernel, a process of its own.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/scripts/jest-summary-reporter.js'],
};
