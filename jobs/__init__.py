"""Jobs: the work a front end starts, below the front ends and without them.

    jobs.update      crawl → extract → index under the update lock, reporting progress
                     to a callback (`update`, and each stage alone: `crawl`, `extract`, `index`)
    jobs.check       files, catalog and index must agree (`check`); `repair` mends what it found
    jobs.locks       one run at a time per data dir (`update_lock`)
    jobs.cluster     a local OpenSearch cluster from the project's files (`up`, `down`, `status`);
                     its state in jobs.cluster_state, its nodes' processes in jobs.cluster_nodes
    jobs.errors      why a job could not run (`JobError` and its kinds), as catalog messages

No click, no terminal: the CLI draws progress bars from the callbacks and turns a
`JobError` into its one-line error; any other front end can do the same.
"""
