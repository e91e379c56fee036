// Print the jest totals from test-reports/junit.xml as one plain line: "tests: N passed, N failed".
const fs = require('fs');
const file = process.argv[2] || 'test-reports/junit.xml';
let xml;
try {
  xml = fs.readFileSync(file, 'utf-8');
} catch {
  console.error(`test summary: ${file} not found (did jest run?)`);
  process.exit(1);
}
const m = /<testsuites\b[^>]*>/.exec(xml);
const attr = (name) => Number((new RegExp(`\\b${name}="(\\d+)"`).exec(m ? m[0] : '') || [])[1] || 0);
const total = attr('tests');
const failed = attr('failures') + attr('errors');
const skipped = attr('skipped');
if (total === 0) {
  console.error('test summary: jest ran no test');
  process.exit(1);
}
console.log(`tests: ${total - failed - skipped} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
