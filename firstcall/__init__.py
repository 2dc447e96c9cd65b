"""The composition root: what wires the house together — the `firstcall` command, the processes it
runs (API, worker, scanner, demo) and the demo company with its history and trickle. Only this
package brings `api/` and `workers/` together; neither imports it."""
