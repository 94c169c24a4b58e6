'use strict';
// Ends a jest run with one plain line, `tests: N passed, N failed, N skipped`, that any CI log
// reader understands (jest's own summary line has another shape).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    // a suite that could not run (a transform or config error) counts as a failure too
    let failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const suitesNotPassed =
      results.numTotalTestSuites - results.numPassedTestSuites - results.numPendingTestSuites;
    if (failed === 0 && suitesNotPassed > 0) failed = suitesNotPassed;
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(
      `\ntests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;
