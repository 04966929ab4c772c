import { createServer } from "node:net";

/**
 * A TCP port on 127.0.0.1 that nothing listens on right now, chosen by the OS (a listen on port 0), so
 * two checkouts can test on one machine at once. Also the port to point a client at when a test needs
 * an address where nobody answers.
 */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== "object" || address === null) throw new Error("no port from the OS");
  return address.port;
}
