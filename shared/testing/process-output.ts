import type { ChildProcess } from "node:child_process";

/**
 * Resolves with everything a child process printed (stdout and stderr together) once `pattern` appears;
 * rejects, with the output so far, when the process exits first or `ms` pass. The child must be spawned
 * with piped stdout and stderr.
 */
export function waitForOutput(process: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(
      () => reject(new Error(`${pattern} not printed within ${ms} ms:\n${output}`)),
      ms,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (pattern.test(output)) {
        clearTimeout(timer);
        resolve(output);
      }
    };
    process.stdout!.on("data", onData);
    process.stderr!.on("data", onData);
    process.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing ${pattern}:\n${output}`));
    });
  });
}
