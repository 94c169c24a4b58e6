/** Each committed notebook is exactly what its source in scripts/notebooks builds: no drift, no outputs. */
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { build } = require('../scripts/build-notebooks.js') as { build: (o: { check: boolean }) => string[] };

describe('notebook sources', () => {
  it('every notebook matches its source (run npm run notebooks:build after editing scripts/notebooks)', () => {
    expect(build({ check: true })).toEqual([]);
  });

  it('every notebook has a source, a parameters cell, the tslab kernel and no outputs', () => {
    const notebooks = fs.readdirSync(path.join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb'));
    expect(notebooks.length).toBeGreaterThan(0);
    for (const f of notebooks) {
      expect(fs.existsSync(path.join(root, 'scripts', 'notebooks', f.replace(/\.ipynb$/, '.js')))).toBe(true);
      const nb = JSON.parse(fs.readFileSync(path.join(root, 'notebooks', f), 'utf8'));
      expect(nb.metadata.kernelspec.name).toBe('tslab');
      expect(nb.nbformat_minor).toBe(5);
      const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code');
      expect(code.every((c: { outputs: unknown[] }) => c.outputs.length === 0)).toBe(true);
      expect(code.some((c: { metadata: { tags?: string[] } }) => (c.metadata.tags ?? []).includes('parameters'))).toBe(true);
    }
  });
});
