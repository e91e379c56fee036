export * from './metadata-options';
export * from './launch/imds-launch-template';
export * from './policy';
export * from './account/instance-metadata-defaults';
export * from './image/image-imds-support';
