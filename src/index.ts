export * from './metadata-options';
export * from './launch/imds-launch-template';
export * from './policy';
export * from './account/instance-metadata-defaults';
export * from './image/image-imds-support';
export * from './validation/imds-checks-options';
export * from './validation/imds-checks';
export * from './validation/imds-validation-plugin';
