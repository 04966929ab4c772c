import http from "node:http";

// A stand-in for the broker's ingress in the throughput benchmark: accepts every CloudEvent with 202
// at once, as Knative's ingress does once it has the event. It lets checkout be measured with K_SINK
// set (as in the cluster) without measuring a broker's delivery work.

const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    res.writeHead(202, { "content-length": "0" });
    res.end();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 8080), "127.0.0.1");
process.once("SIGTERM", () => process.exit(0));
