// Times jsonata-js 2.0.6 over the cases JsonataBenchmarks selected from the reference suite, the same way it times
// the native evaluator: every expression compiled once, then whole rounds over all cases until the time budget is spent.
// Usage: node jsonata-bench.js SUITE_DIR CASE_LIST_FILE SECONDS   (prints one JSON line)
'use strict';
const fs = require('fs');
const path = require('path');
const jsonata = require('jsonata');

function loadCase(suite, id) {
  const [file, index] = id.split('#');
  const json = JSON.parse(fs.readFileSync(path.join(suite, 'groups', file), 'utf8'));
  const c = index === undefined ? json : json[Number(index)];
  const expr = c.expr !== undefined ? c.expr : fs.readFileSync(path.join(suite, 'groups', path.dirname(file), c['expr-file']), 'utf8');
  let input;
  if (c.data !== undefined) {
    input = c.data;
  } else if (c.dataset) {
    input = JSON.parse(fs.readFileSync(path.join(suite, 'datasets', c.dataset + '.json'), 'utf8'));
  }
  return { compiled: jsonata(expr), input, bindings: c.bindings || {} };
}

async function round(cases) {
  for (const c of cases) {
    await c.compiled.evaluate(c.input, c.bindings);
  }
}

async function main() {
  const [suite, listFile, secondsText] = process.argv.slice(2);
  const ids = fs.readFileSync(listFile, 'utf8').split('\n').filter((line) => line.length > 0);
  const cases = ids.map((id) => loadCase(suite, id));
  const budget = Number(secondsText || '3') * 1e9;
  for (let warm = 0; warm < 3; warm++) {
    await round(cases);
  }
  let rounds = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < budget) {
    await round(cases);
    rounds++;
    elapsed = Number(process.hrtime.bigint() - start);
  }
  console.log(JSON.stringify({ cases: cases.length, rounds, microsecondsPerRound: elapsed / 1000 / rounds }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
