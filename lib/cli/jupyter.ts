/**
 * `scalelab jupyter [--lab | --notebook] [--install-only] [--print-path] [-- ARGS]`: the flags
 * checked by the shared parser (an unknown one suggests the nearest), then lib/kernelspec.ts's
 * jupyterCommand registers the kernel spec and starts Jupyter.
 */
import { jupyterCommand as startJupyter } from '../kernelspec';
import type { CommandIO } from './io';
import { booleanValue, flagHelp, helpFlag, parseCommandLine } from './parse';
import type { FlagSpecs } from './parse';
import { UsageError, reportError } from './usage';

export const jupyterFlags: FlagSpecs = {
  lab: { type: 'boolean', doc: 'start JupyterLab (default when jupyter-lab is installed)' },
  notebook: { type: 'boolean', doc: 'start the classic Notebook / Notebook 7' },
  'install-only': { type: 'boolean', doc: 'write the kernel spec and exit' },
  'print-path': {
    type: 'boolean',
    doc: 'print the JUPYTER_PATH to use with your own Jupyter command, and exit',
  },
  ...helpFlag,
};

const HELP = `Usage: scalelab jupyter [--lab | --notebook] [--install-only] [--print-path] [-- JUPYTER_ARGS...]

Registers a project-local tslab kernel spec (in .jupyter-local under the current folder, or the
checkout's inside a checkout, found through JUPYTER_PATH; your global Jupyter setup is not
touched), copies plotly.min.js next to the notebooks (an installed scalelab copies its notebooks
into ./notebooks first, never overwriting yours), and starts Jupyter on notebooks/. Words after
-- go to Jupyter (e.g. -- --port 8890 --no-browser; as root Jupyter needs -- --allow-root).

Options:
${flagHelp(jupyterFlags)}

Examples:
  scalelab jupyter --print-path
  scalelab jupyter --install-only`;

/** `scalelab jupyter ...`. */
export async function jupyterCommand(argv: string[], io: CommandIO): Promise<number> {
  const label = 'scalelab jupyter';
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  try {
    const parsed = parseCommandLine(label, own, jupyterFlags);
    if (booleanValue(parsed, 'help')) {
      io.out(HELP);
      return 0;
    }
    if (parsed.positionals.length)
      throw new UsageError(
        `unexpected argument ${parsed.positionals[0]} (arguments for Jupyter go after --)`,
      );
    if (booleanValue(parsed, 'lab') && booleanValue(parsed, 'notebook'))
      throw new UsageError('--lab and --notebook exclude each other');
  } catch (e) {
    return reportError(label, e, io);
  }
  return startJupyter(argv, io);
}
