import { migrationApp } from './migration-app';

migrationApp().synth();
