// eslint-disable-next-line @typescript-eslint/no-require-imports -- package.json lies outside rootDir (lib), so tsc cannot import it into dist
const pkg = require('../package.json') as { version: string };

/** The scalelab package version, read from package.json at run time. */
export const version: string = pkg.version;
