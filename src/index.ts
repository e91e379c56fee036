export * from './metadata-options';
export * from './launch/imds-launch-template';
export * from './validation/imds-checks-options';
export * from './validation/imds-checks';
export * from './validation/imds-validation-plugin';
