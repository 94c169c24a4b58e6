/**
 * Every lab notebook (notebooks/*.ipynb) executes without error in the tslab kernel, through
 * scalelab's own Jupyter client: the notebook check needs Node only, no Python or Jupyter.
 *
 * Each executed copy and its HTML export are written to out/notebooks/ exactly as
 * `scalelab notebooks run --all` writes them, so CI's browser check reads this run's exports
 * instead of executing every notebook once more.
 */
import * as fs from 'fs';
import * as path from 'path';
import { executeNotebook } from '../../lib/notebook/execute';
import { exportNotebookHtml } from '../../lib/notebook/html';
import { serializeNotebook } from '../../lib/notebook/nbformat';
import { findScalelabRoot } from '../../lib/notebook/project';
import { nbformatErrors } from './helpers';

const root = findScalelabRoot();
const dir = path.join(root, 'notebooks');
const outDir = path.join(root, 'out', 'notebooks');
const notebooks = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.ipynb'))
      .sort()
  : [];

if (notebooks.length === 0) {
  test.skip(`no notebooks in ${dir} yet: nothing to execute`, () => undefined);
} else {
  test.each(notebooks)(
    '%s executes without error',
    async (file) => {
      const name = path.join('notebooks', file);
      const result = await executeNotebook(path.join(dir, file), {
        cellTimeoutSec: 300,
        name,
      }).catch((e) => {
        // the message names the notebook, the cell and the kernel's real error text
        throw new Error((e as Error).message);
      });
      expect(result.ok).toBe(true);
      expect(nbformatErrors(result.notebook)).toBe('');
      const stem = path.basename(file, '.ipynb');
      fs.mkdirSync(outDir, { recursive: true });
      fs.writeFileSync(path.join(outDir, `${stem}.ipynb`), serializeNotebook(result.notebook));
      fs.writeFileSync(
        path.join(outDir, `${stem}.html`),
        exportNotebookHtml(result.notebook, { title: name }),
      );
    },
    600000,
  );
}
