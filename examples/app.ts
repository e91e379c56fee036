import { exampleApp } from './example-app';

exampleApp().synth();
