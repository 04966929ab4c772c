import net from "node:net";

// A pass-through TCP proxy in front of PostgreSQL that reads the client's side of the wire protocol and
// records every statement sent (Parse and simple Query messages) and every round trip (Sync, Query).
// The harness sends one request of each kind through a function and through the baseline and compares
// what each asked the database: proof that the baseline runs the same SQL, not a cheaper one.

export interface CapturedStatement {
  text: string;
  /** Parse ('P', extended protocol, as pg sends parameterized queries) or Query ('Q', simple). */
  kind: "parse" | "query";
}

export interface SqlCapture {
  port: number;
  /** What was sent since the last reset. */
  statements(): CapturedStatement[];
  /** Round trips since the last reset: Sync and simple Query messages (each waits for an answer). */
  roundTrips(): number;
  reset(): void;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;

/** Splits the client's byte stream into messages and reports the ones that carry SQL. */
export function createClientParser(onMessage: (type: string, body: Buffer) => void): (chunk: Buffer) => void {
  let buffer: Buffer = Buffer.alloc(0);
  let started = false;
  return (chunk) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    for (;;) {
      if (!started) {
        if (buffer.length < 8) return;
        const length = buffer.readInt32BE(0);
        if (buffer.length < length) return;
        const code = buffer.readInt32BE(4);
        // An SSL or GSS request is answered by one byte, then the real startup message follows.
        if (code !== SSL_REQUEST && code !== GSS_REQUEST) started = true;
        buffer = buffer.subarray(length);
        continue;
      }
      if (buffer.length < 5) return;
      const length = buffer.readInt32BE(1);
      if (buffer.length < 1 + length) return;
      onMessage(String.fromCharCode(buffer[0]!), buffer.subarray(5, 1 + length));
      buffer = buffer.subarray(1 + length);
    }
  };
}

/** The SQL text of a Parse message body: statement name, then query, both NUL-terminated. */
export function parseMessageText(body: Buffer): string {
  const nameEnd = body.indexOf(0);
  const queryEnd = body.indexOf(0, nameEnd + 1);
  return body.toString("utf8", nameEnd + 1, queryEnd);
}

export async function startSqlCapture(upstreamPort: number, port: number): Promise<SqlCapture> {
  let statements: CapturedStatement[] = [];
  let trips = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, "127.0.0.1");
    sockets.add(client).add(upstream);
    const parse = createClientParser((type, body) => {
      if (type === "P") statements.push({ kind: "parse", text: parseMessageText(body) });
      if (type === "Q") {
        statements.push({ kind: "query", text: body.toString("utf8", 0, body.length - 1) });
        trips++;
      }
      if (type === "S") trips++;
    });
    client.on("data", (chunk) => {
      parse(chunk);
      upstream.write(chunk);
    });
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    statements: () => [...statements],
    roundTrips: () => trips,
    reset: () => {
      statements = [];
      trips = 0;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
