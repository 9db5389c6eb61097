// The fauxqs SNS/SQS emulator with a stopwatch: records when each SNS Publish request reaches it
// (the first byte of the request, epoch milliseconds with microsecond fraction), keyed by the
// message's "host" attribute, and serves them at GET /_bench/arrivals. Loopback only.
// Usage: node sns-timing.mjs  (prints "LISTENING <port>"; FAUXQS_PORT picks the port)
import { performance } from "node:perf_hooks";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
// the testkit's install (npm ci in mission-testkit/fauxqs)
const { buildApp } = await import(pathToFileURL(path.join(here, "../../mission-testkit/fauxqs/node_modules/fauxqs/dist/app.js")).href);

const now = () => performance.timeOrigin + performance.now();
const arrivals = {};

const app = buildApp({ logger: false, defaultRegion: "us-east-1" });
app.addHook("onRequest", async (request) => {
  request.arrivedAt = now();
});
app.addHook("preHandler", async (request) => {
  const body = typeof request.body === "string" ? Object.fromEntries(new URLSearchParams(request.body))
    : (request.body ?? {});
  if (body.Action !== "Publish") return;
  for (let i = 1; body[`MessageAttributes.entry.${i}.Name`] !== undefined; i++) {
    if (body[`MessageAttributes.entry.${i}.Name`] === "host") {
      arrivals[body[`MessageAttributes.entry.${i}.Value.StringValue`]] = request.arrivedAt;
    }
  }
});
app.get("/_bench/arrivals", async () => arrivals);

await app.listen({ port: Number(process.env.FAUXQS_PORT ?? 0), host: "127.0.0.1" });
console.log(`LISTENING ${app.server.address().port}`);
process.on("SIGTERM", () => process.exit(0));
