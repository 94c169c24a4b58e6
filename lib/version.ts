// eslint-disable-next-line @typescript-eslint/no-var-requires
const pkg = require('../package.json') as { version: string };

/** The scalelab package version, read from package.json at run time. */
export const version: string = pkg.version;
