#!/usr/bin/python3
"""Execute notebooks in the real tslab kernel under Jupyter (Debian's nbclient), as CI's
compatibility check beside scalelab's own Node client.

nbclient 0.7.2 reports a failing tslab cell as a bare `<Error>:` (tslab sends no `error`
message; the real text is a stderr stream output). On failure this prints the notebook, the
cell number, its source and its stderr, writes the partial notebook, and exits 1.

Notebooks run two at a time (NBCLIENT_JOBS, default the number of cores, at most 2): each runs
in a kernel process of its own, mostly on one core, so on the 2-core CI machines two at once take
about half the wall time of one after another. Each notebook's output is written as it finishes;
the results are printed in the order given.

Usage: JUPYTER_PATH=<root>/.jupyter-local /usr/bin/python3 nbclient_run.py OUT_DIR NB.ipynb...
"""
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def cell_stderr(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stderr")


def run(path, out_dir, attempt=1):
    nb = nbformat.read(path, as_version=4)
    failed = {}

    def on_cell_error(cell, cell_index, execute_reply):
        failed.setdefault("index", cell_index)

    client = NotebookClient(nb, kernel_name="tslab", timeout=900, startup_timeout=120,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}},
                            on_cell_error=on_cell_error)
    out = os.path.join(out_dir, os.path.basename(path))
    start = time.time()
    try:
        client.execute()
    except (RuntimeError, TimeoutError) as e:
        # tslab 1.0.22 does not await its socket binds; a kernel_info request that races them
        # leaves a kernel that never answers. Such a start failure is retried with a new kernel.
        if attempt < 3 and not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"):
            print(f"kernel start failed for {path} ({type(e).__name__}: {e}); retrying", file=sys.stderr)
            return run(path, out_dir, attempt + 1)
        raise
    except CellExecutionError as e:
        nbformat.write(nb, out)
        index = failed.get("index")
        code_number = None
        if index is not None:
            code_number = sum(1 for c in nb.cells[: index + 1] if c.cell_type == "code")
        cell = nb.cells[index] if index is not None else None
        print(f"FAILED {path}: cell {index + 1 if index is not None else '?'}"
              f" (code cell {code_number})", file=sys.stderr)
        if cell is not None:
            print("--- source ---\n" + cell.source, file=sys.stderr)
            print("--- stderr ---\n" + (cell_stderr(cell) or str(e)), file=sys.stderr)
        print(f"partial notebook written to {out}", file=sys.stderr)
        return False
    nbformat.write(nb, out)
    print(f"ok {path} ({time.time() - start:.1f} s) -> {out}")
    return True


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir = argv[1]
    os.makedirs(out_dir, exist_ok=True)
    jobs = int(os.environ.get("NBCLIENT_JOBS", min(2, os.cpu_count() or 1)))
    if jobs <= 1:
        results = [run(p, out_dir) for p in argv[2:]]
    else:
        # the longest first, so that the last one to start is short (cells' sizes are a fair proxy)
        paths = sorted(argv[2:], key=lambda p: -os.path.getsize(p))
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            done = dict(zip(paths, pool.map(run, paths, [out_dir] * len(paths))))
        results = [done[p] for p in argv[2:]]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
