// Run parxl inside Pyodide (the WebAssembly Python of xlwings Lite) under Node, offline.
//
//   node tests/pyodide/run.mjs <archives dir> <request.json> [<request.json> ...]
//
// Every .zip/.whl in <archives dir> is unpacked into Pyodide's site-packages (pure-Python
// packages only: Pyodide's package CDN is not used), then parxl_lite.wasm.run(<request>) is
// called for each request and its JSON answer printed on stdout, one line per request (a
// failing request prints {"error": ...} and makes the exit status 1). Timings go to stderr.
import { loadPyodide } from "pyodide";
import { readFileSync, readdirSync, writeSync } from "node:fs";
import { join } from "node:path";

const [dir, ...requests] = process.argv.slice(2);
if (!dir || requests.length === 0) {
  console.error("usage: node run.mjs <archives dir> <request.json> [<request.json> ...]");
  process.exit(2);
}
const t0 = performance.now();
// Python's print() goes to stderr: stdout carries only the JSON answers
const py = await loadPyodide({
  env: { XLWINGS_LICENSE_KEY: "noncommercial" },
  stdout: (line) => console.error(line),
});
const t1 = performance.now();
const site = py.runPython("import site; site.getsitepackages()[0]");
for (const f of readdirSync(dir).sort()) {
  if (!f.endsWith(".zip") && !f.endsWith(".whl")) continue;
  py.unpackArchive(new Uint8Array(readFileSync(join(dir, f))), "zip", { extractDir: site });
}
const t2 = performance.now();
const run = py.pyimport("parxl_lite.wasm").run;
let failed = false;
for (const path of requests) {
  let answer;
  try {
    answer = run(readFileSync(path, "utf8"));
  } catch (err) {
    failed = true;
    answer = JSON.stringify({ error: String(err) });
  }
  writeSync(1, answer + "\n"); // synchronous: process.exit below must not cut the pipe
}
const t3 = performance.now();
console.error(
  `pyodide: start ${(t1 - t0).toFixed(0)} ms, unpack ${(t2 - t1).toFixed(0)} ms, ` +
    `run ${(t3 - t2).toFixed(0)} ms for ${requests.length} request(s)`
);
process.exit(failed ? 1 : 0);
