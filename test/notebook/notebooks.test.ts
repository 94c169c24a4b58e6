/**
 * Every lab notebook (notebooks/*.ipynb) executes without error in the tslab kernel, through
 * scalelab's own Jupyter client: the notebook check needs Node only, no Python or Jupyter.
 */
import * as fs from 'fs';
import * as path from 'path';
import { executeNotebook } from '../../lib/notebook/execute';
import { findScalelabRoot } from '../../lib/notebook/project';
import { nbformatErrors } from './helpers';

const dir = path.join(findScalelabRoot(), 'notebooks');
const notebooks = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort() : [];

if (notebooks.length === 0) {
  test.skip(`no notebooks in ${dir} yet: nothing to execute`, () => undefined);
} else {
  test.each(notebooks)('%s executes without error', async (file) => {
    const result = await executeNotebook(path.join(dir, file), { cellTimeoutSec: 300 }).catch((e) => {
      // the message names the notebook, the cell and the kernel's real error text
      throw new Error((e as Error).message);
    });
    expect(result.ok).toBe(true);
    expect(nbformatErrors(result.notebook)).toBe('');
  }, 600000);
}
