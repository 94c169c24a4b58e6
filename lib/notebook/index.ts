// Public API of lib/notebook: running notebooks in the tslab kernel, with parameters, and exporting HTML.
export { TslabKernel, NotebookKernelError, findFreeLoopbackPorts } from './kernel';
export type {
  TslabKernelOptions,
  KernelExecuteOptions,
  KernelExecuteResult,
  JupyterMessage,
  JupyterMessageHeader,
} from './kernel';
export { executeNotebook, executeNotebookDocument, NotebookExecutionError } from './execute';
export type {
  ExecuteNotebookOptions,
  NotebookRunResult,
  NotebookCellRun,
  NotebookFailureKind,
  NotebookProgressEvent,
} from './execute';
export {
  injectNotebookParameters,
  parseNotebookParameterDeclarations,
  notebookParameterDeclarations,
  parseNotebookParameterValue,
  parseNotebookParameterAssignments,
  NotebookParameterError,
} from './parameters';
export type { NotebookParameterValue, NotebookParameterDeclaration } from './parameters';
export { exportNotebookHtml, exportNotebookIndexHtml, escapeNotebookHtml } from './html';
export type { NotebookHtmlOptions, NotebookIndexEntry } from './html';
export { readNotebook, normalizeNotebook, serializeNotebook } from './nbformat';
export type {
  NotebookDocument,
  NotebookCell,
  NotebookCodeCell,
  NotebookMarkdownCell,
  NotebookRawCell,
  NotebookOutput,
  NotebookMultilineString,
} from './nbformat';
