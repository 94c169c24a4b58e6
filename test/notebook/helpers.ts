/** Shared helpers of the notebook tests (not a test file). */
import * as path from 'path';
import Ajv from 'ajv-draft-04';
import schema from '../../lib/notebook/nbformat.v4.5.schema.json';
import { notebookToDiskForm, NotebookDocument } from '../../lib/notebook/nbformat';

export const fixtures = path.join(__dirname, 'fixtures');
export const fixture = (name: string): string => path.join(fixtures, name);

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(schema as object);

/** Validation errors of the notebook against nbformat's v4.5 schema, as text ('' when valid). */
export function nbformatErrors(nb: NotebookDocument): string {
  // validate both the in-memory form and the on-disk (line list) form
  for (const form of [nb, notebookToDiskForm(nb)]) {
    if (!validate(JSON.parse(JSON.stringify(form))))
      return ajv.errorsText(validate.errors, { separator: '\n' });
  }
  return '';
}

/** The notebook without run timings (cell metadata.execution, run start/end/duration). */
export function withoutTimings(nb: NotebookDocument): unknown {
  const copy = JSON.parse(JSON.stringify(nb));
  for (const c of copy.cells) delete c.metadata.execution;
  const ex = copy.metadata?.scalelab?.execution;
  if (ex) {
    delete ex.start_time;
    delete ex.end_time;
    delete ex.duration_ms;
  }
  return copy;
}

/** Whether a process with this pid exists. */
export function processExists(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
