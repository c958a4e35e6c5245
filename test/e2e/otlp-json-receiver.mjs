// A minimal OTLP/HTTP JSON receiver for the Windows end-to-end workflow (.github/workflows/windows-e2e.yml):
// every request to /v1/logs or /v1/metrics is answered 200 and appended to OUT as one line
// {"path": ..., "body": <the OTLP JSON>}, for the workflow's assertions. Plain Node, no dependencies.
//   node test/e2e/otlp-json-receiver.mjs PORT OUT
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [portText = '4318', out = 'otlp-received.ndjson'] = process.argv.slice(2);
createServer((request, response) => {
  /** @type {Buffer[]} */
  const chunks = [];
  request.on('data', (c) => chunks.push(c));
  request.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      appendFileSync(out, `${JSON.stringify({ path: request.url, body: JSON.parse(text) })}\n`);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    } catch {
      response.writeHead(400).end('expected OTLP JSON (protocol http/json)');
    }
  });
}).listen(Number(portText), '127.0.0.1', () => console.log(`OTLP JSON receiver on 127.0.0.1:${portText}, writing ${out}`));
