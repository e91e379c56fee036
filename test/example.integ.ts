// Integration snapshot of the bundled example app (examples/): `npx projen integ:example:snapshot`
// records it, and the test task fails when the synthesized assembly changes.
import * as fs from 'fs';
import * as path from 'path';
import { exampleApp } from '../examples/example-app';

const assembly = exampleApp().synth();

// aws-cdk-lib records a call stack with every acknowledgement, whatever the stack-trace settings.
// Make its file paths relative so the snapshot is the same on every machine and in every folder.
const root = path.resolve(__dirname, '..') + path.sep;
for (const file of fs.readdirSync(assembly.directory).filter((f) => f.endsWith('.metadata.json'))) {
  const full = path.join(assembly.directory, file);
  const text = fs.readFileSync(full, 'utf-8');
  fs.writeFileSync(full, text.split(root).join(''));
}
