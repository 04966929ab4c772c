import { type OpenLoopOptions, runOpenLoop } from "./open-loop.ts";

// The open-loop driver in a process of its own (lib/open-loop.ts's runInChild starts it): the harness's
// own heap and work (seeded users' tokens, autocannon's results) must not delay the driver's sends or the
// moment it reads an answer. Options come as JSON in argv; the result goes to stdout as JSON.

const options = JSON.parse(process.argv[2] ?? "{}") as OpenLoopOptions;
const result = await runOpenLoop(options);
process.stdout.write(JSON.stringify({ ...result, latencies: Array.from(result.latencies) }));
