// fauxqs (SNS/SQS emulator) for the tests, bound to loopback only. Lines on stdin control it:
// "down" stops listening (an outage; topics, queues and messages are kept), "up" listens again on
// the same port. Prints "FAUXQS_LISTENING <port>" whenever it listens and "FAUXQS_DOWN" when it stops.
import { buildApp } from "fauxqs";
import { SqsStore } from "./node_modules/fauxqs/dist/sqs/sqsStore.js";
import { SnsStore } from "./node_modules/fauxqs/dist/sns/snsStore.js";
import { S3Store } from "./node_modules/fauxqs/dist/s3/s3Store.js";
import { createInterface } from "node:readline";

const stores = { sqsStore: new SqsStore(), snsStore: new SnsStore(), s3Store: new S3Store() };
let port = Number(process.env.FAUXQS_PORT ?? 0);
let app = null;

async function up() {
  if (!app) {
    app = buildApp({ logger: false, stores, defaultRegion: process.env.FAUXQS_DEFAULT_REGION ?? "us-east-1" });
    await app.listen({ port, host: "127.0.0.1" });
    port = app.server.address().port;
  }
  console.log(`FAUXQS_LISTENING ${port}`);
}

async function down() {
  if (app) {
    const closing = app;
    app = null;
    await closing.close();
  }
  console.log("FAUXQS_DOWN");
}

createInterface({ input: process.stdin }).on("line", async (line) => {
  if (line.trim() === "down") await down();
  if (line.trim() === "up") await up();
}).on("close", () => process.exit(0));
process.on("SIGTERM", () => process.exit(0));
await up();
