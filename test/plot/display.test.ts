import * as aq from 'arquero';
import { figure, line } from '../../lib/plot/builders';
import { inNotebook, setDisplayWriter, show } from '../../lib/plot/display';
import { plotlyMime } from '../../lib/plot/html';
import { ParameterError } from '../../lib/errors';

// A stand-in for the running tslab kernel's writer (in a real kernel show() finds tslab's
// `dist/jupyter.js` in the module cache; the notebook executions check that path end to end).
type Sent = { data: Record<string, unknown>; metadata: unknown; transient: unknown };

function withFakeKernel(run: (sent: Array<[Sent, boolean]>) => void): void {
  const sent: Array<[Sent, boolean]> = [];
  setDisplayWriter((d, update) => sent.push([d as Sent, update]));
  try {
    run(sent);
  } finally {
    setDisplayWriter(null);
  }
}

const fig = figure([line([1, 2], [3, 4], { name: 'a' })], { title: 'F' });

describe('show', () => {
  it('sends one display_data bundle per figure inside a kernel', () => {
    withFakeKernel((sent) => {
      expect(inNotebook()).toBe(true);
      show([fig, fig]);
      expect(sent).toHaveLength(2);
      const [bundle, update] = sent[0];
      expect(update).toBe(false);
      expect(Object.keys(bundle.data).sort()).toEqual(
        [plotlyMime, 'text/html', 'text/plain'].sort(),
      );
      expect(bundle.metadata).toEqual({});
    });
  });

  it('shows tables and markdown', () => {
    withFakeKernel((sent) => {
      show(aq.table({ x: [1, 2] }));
      show({ markdown: '**bold**' });
      expect(sent[0][0].data['text/html']).toContain('<table');
      expect(sent[1][0].data).toEqual({ 'text/markdown': '**bold**', 'text/plain': '**bold**' });
    });
  });

  it('prints the text form outside a kernel', () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(inNotebook()).toBe(false);
      show(fig);
      expect(log).toHaveBeenCalledWith('<Plotly figure: F, 1 trace (a)>');
    } finally {
      log.mockRestore();
    }
  });

  it('refuses what it cannot show, with a typed error', () => {
    expect(() => show(42 as never)).toThrow(ParameterError);
  });
});
