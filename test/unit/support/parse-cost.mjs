// Prints the memory one request body costs the webhook before its signature is checked: the raw buffer the
// Functions Framework keeps (rawBody), the string it decodes and the parsed value (req.body). The body is the
// worst JSON for its size: many small objects, each costing far more as a JS object than as text.
// Run with --expose-gc; argv[2] is the body size in bytes.
const size = Number(process.argv[2]);
const unit = '{"a":1,"b":[0,0]},';
const body = Buffer.from(`{"logs":[${unit.repeat(Math.floor((size - 12) / unit.length)).slice(0, -1)}]}`);
global.gc();
const before = process.memoryUsage();
const text = body.toString('utf8');
const parsed = JSON.parse(text);
global.gc();
const after = process.memoryUsage();
const heap = after.heapUsed - before.heapUsed;
process.stdout.write(
  JSON.stringify({ bodyBytes: body.length, bytes: body.length + heap, items: parsed.logs.length }),
);
