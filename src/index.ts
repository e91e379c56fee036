export * from './metadata-options';
export * from './launch/imds-launch-template';
export * from './policy';
